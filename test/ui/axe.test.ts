// F26 every page, as each host shows it, light and dark: zero WCAG 2.2 AA violations found by
// axe-core in real Chromium (test/kit/axe.ts). With RVI_PICTURES=1 (node scripts/pictures.mjs)
// each page is also photographed into docs/pictures/ — or into the folder RVI_PICTURES names.
import { appendFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../kit/browser";
import { ROOT } from "../kit/build";
import { stopEngines, testEngine } from "../kit/engine";
import { server, users } from "../kit/xmpp";
import { axeViolations, describeViolations, MESSAGE_DISPLAY, openPage, type PageSpec, type Scheme } from "../kit/axe";

const OFFICE_DARK = { bodyBackgroundColor: "#1f1f1f", bodyForegroundColor: "#ffffff", controlBackgroundColor: "#292929", controlForegroundColor: "#ffffff" };
const PANE = { width: 360, height: 640 };
const POPUP = { width: 360, height: 420 };
const PAGES: PageSpec[] = [
  { name: "thunderbird-chat", host: "thunderbird", html: "src/hosts/thunderbird/chat.html", show: "chat", viewport: { width: 520, height: 640 } },
  { name: "thunderbird-options", host: "thunderbird", html: "src/hosts/thunderbird/options.html", show: "options" },
  { name: "thunderbird-contacts", host: "thunderbird", html: "src/hosts/thunderbird/contacts.html", show: "contacts", viewport: { width: 480, height: 600 } },
  { name: "thunderbird-invite", host: "thunderbird", html: "src/hosts/thunderbird/invite.html", show: "invite", viewport: POPUP },
  { name: "thunderbird-transcript", host: "thunderbird", html: MESSAGE_DISPLAY, show: "transcript", viewport: { width: 800, height: 400 } },
  { name: "outlook-taskpane", host: "outlook", html: "src/hosts/outlook/taskpane.html", show: "taskpane", viewport: PANE },
  // Outlook's own dark theme (Office.context.officeTheme) on a system in either scheme
  { name: "outlook-taskpane-office-dark", host: "outlook", html: "src/hosts/outlook/taskpane.html", show: "taskpane", viewport: PANE, args: [OFFICE_DARK] },
  { name: "outlook-compose", host: "outlook", html: "src/hosts/outlook/compose.html", show: "compose", viewport: PANE },
  {
    name: "web-join",
    host: "web",
    html: "src/ui/join/join.html",
    show: "join",
    args: [
      "https://addins.example.org/web/join.html#s=2f1c0d9e-4b7a-4c61-9a0e-3f5b7e2d1a44&m=conference.example.org&f=alice%40example.org",
      "wss://chat.example.org/xmpp-websocket",
    ],
  },
];
const SCHEMES: Scheme[] = ["light", "dark"];
const pictures = process.env.RVI_PICTURES ? resolve(ROOT, process.env.RVI_PICTURES === "1" ? "docs/pictures" : process.env.RVI_PICTURES) : undefined;

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
  if (pictures) await mkdir(pictures, { recursive: true });
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await stopEngines();
});

/** The page's violations; with RVI_PICTURES, its picture too. */
async function check(page: Page, name: string): Promise<string[]> {
  if (pictures) await page.screenshot({ path: join(pictures, `${name}.png`) });
  const found = describeViolations(await axeViolations(page));
  // the figures, one JSON line per page, for a before/after table (RVI_AXE_REPORT=file)
  if (process.env.RVI_AXE_REPORT) appendFileSync(process.env.RVI_AXE_REPORT, JSON.stringify({ name, violations: found }) + "\n");
  return found;
}

describe("F26 every page is accessible (axe-core, WCAG 2.2 AA), light and dark", () => {
  for (const spec of PAGES) {
    it.each(SCHEMES)(
      `${spec.name} (%s)`,
      async (scheme) => {
        const page = await openPage(browser, spec, scheme);
        try {
          expect(await check(page, `${spec.name}-${scheme}`)).toEqual([]);
        } finally {
          await page.context().close();
        }
      },
      30_000,
    );
  }

  it.each(SCHEMES)(
    "web-join-room: the join page in a live session on the run's Prosody (%s)",
    async (scheme) => {
      const { alice } = await users("alice");
      const a = testEngine(alice);
      await a.start();
      const invitation = await a.sessions.create({
        recipients: ["bob@example.org"],
        subject: "Budget review",
        joinPage: "https://addins.example.org/web/join.html",
      });
      await a.features.muc.send(invitation.room, "Welcome — the agenda is in the email");
      const page = await openPage(
        browser,
        { name: "web-join-room", host: "web", html: "src/ui/join/join.html", show: "join", args: [invitation.link, server().service, server().guestDomain] },
        scheme,
      );
      try {
        await page.fill("#name", "Bob Builder");
        await page.keyboard.press("Enter");
        await page.waitForSelector("section.area .body");
        await page.keyboard.type("Hi all, I am here");
        await page.keyboard.press("Enter");
        await page.waitForSelector('section.area[data-nick="Bob Builder"] .body');
        expect(await check(page, `web-join-room-${scheme}`)).toEqual([]);
      } finally {
        await page.context().close();
      }
    },
    60_000,
  );

  it("Outlook's theme wins over the system's: Office dark on a light system gives a dark pane", async () => {
    const page = await openPage(
      browser,
      { name: "office", host: "outlook", html: "src/hosts/outlook/taskpane.html", show: "taskpane", viewport: PANE, args: [OFFICE_DARK] },
      "light",
    );
    try {
      expect(
        await page.evaluate(() => [
          getComputedStyle(document.body).backgroundColor,
          getComputedStyle(document.querySelector("#conversation li.out .text")!).backgroundColor,
        ]),
      ).toEqual(["rgb(31, 31, 31)", "rgb(14, 71, 117)"]);
    } finally {
      await page.context().close();
    }
  });

  it.each(["thunderbird-chat", "outlook-taskpane", "outlook-compose"])("%s in high contrast (forced colours)", async (name) => {
    const page = await openPage(
      browser,
      PAGES.find((p) => p.name === name)!,
      "dark",
    );
    try {
      await page.emulateMedia({ forcedColors: "active" });
      expect(await check(page, `${name}-forced-colors`)).toEqual([]);
    } finally {
      await page.context().close();
    }
  });
});
