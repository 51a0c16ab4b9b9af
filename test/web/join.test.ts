// F10–F12 end to end: the built join page (dist/web) over HTTPS in real headless Chromium, two
// people in two browser profiles joining from the invitation link as guests, with the inviter's
// engine (Node) in the room — against the run's Prosody. They type as people would.
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { buildToTemp, ROOT } from "../kit/build";
import { launchChromium } from "../kit/browser";
import { stopEngines, testEngine } from "../kit/engine";
import { server, until, users } from "../kit/xmpp";
import { freePort } from "../../scripts/lib/process.mjs";
import { serveOutlook } from "../../scripts/serve-outlook.mjs";
import { startLibreTranslate } from "../kit/libretranslate";

const ARTIFACTS = join(ROOT, "artifacts");
let out: string;
let site: { url: string; caPath: string; close(): Promise<void> };
let browser: Browser;
let translator: Awaited<ReturnType<typeof startLibreTranslate>>;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  const port = await freePort();
  translator = await startLibreTranslate();
  ({ out } = await buildToTemp(["--xmpp", server().service, "--translate-url", translator.url]));
  site = await serveOutlook({ dir: join(out, "web"), port, certs: join(out, "certs") });
  browser = await launchChromium({ trust: [site.caPath] }); // the pages' server's CA, besides the run's (wss://)
  await mkdir(ARTIFACTS, { recursive: true });
}, 90_000);
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
  await stopEngines();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await translator?.close();
  await rm(out, { recursive: true, force: true });
});

async function visit(link: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 900, height: 560 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(link);
  return page;
}

async function joinAs(link: string, name: string): Promise<Page> {
  const page = await visit(link);
  await page.waitForSelector("#name");
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("name");
  await page.keyboard.type(name);
  await page.keyboard.press("Enter");
  await page.waitForSelector("#areas");
  return page;
}

const areaText = (page: Page, nick: string) =>
  page.evaluate((n) => [...document.querySelectorAll(`section.area[data-nick="${n}"] .body`)].map((b) => b.textContent), nick);
const waitInArea = (page: Page, nick: string, text: string) =>
  page.waitForFunction(([n, t]) => [...document.querySelectorAll(`section.area[data-nick="${n}"] .body`)].some((b) => b.textContent === t), [
    nick,
    text,
  ] as const);

describe("F11 the web join page", () => {
  it("two guests join from the link with the inviter's engine: history on join, one area per participant, live messages both ways; the session keeps audience and records (F12)", async () => {
    const { alice, bob } = await users("alice", "bob");
    const a = testEngine(alice);
    await a.start();
    const invitation = await a.sessions.create({ recipients: [bob.jid], subject: "Budget review", joinPage: `${site.url}join.html` });
    const host = alice.jid.split("@")[0]!;
    await a.features.muc.send(invitation.room, "Welcome — the agenda is in the email");

    const bobPage = await joinAs(invitation.link, "Bob Builder");
    // the room's history is there on joining, in the inviter's area; Bob's own area is marked
    await waitInArea(bobPage, host, "Welcome — the agenda is in the email");
    expect(await bobPage.getAttribute('section.area[data-nick="Bob Builder"]', "aria-label")).toBe("Bob Builder (you)");
    expect(await bobPage.$("#problem")).toBeNull();
    const carolPage = await joinAs(invitation.link, "Carol");
    await waitInArea(carolPage, host, "Welcome — the agenda is in the email");

    await bobPage.focus("#message");
    await bobPage.keyboard.type("Hi all, I am here");
    await bobPage.keyboard.press("Enter");
    await waitInArea(carolPage, "Bob Builder", "Hi all, I am here");
    await carolPage.keyboard.type("Hello Bob");
    await carolPage.keyboard.press("Enter");
    await waitInArea(bobPage, "Carol", "Hello Bob");
    await a.features.muc.send(invitation.room, "Let us start with travel");
    await waitInArea(bobPage, host, "Let us start with travel");
    await waitInArea(carolPage, host, "Let us start with travel");
    // each person's messages in their own area, nobody else's mixed in
    expect(await areaText(carolPage, "Bob Builder")).toEqual(["Hi all, I am here"]);
    expect(await areaText(carolPage, "Carol")).toEqual(["Hello Bob"]);
    expect(await areaText(carolPage, host)).toEqual(["Welcome — the agenda is in the email", "Let us start with travel"]);
    await carolPage.waitForFunction((h) => document.getElementById("here")?.textContent === `Here now: ${["Bob Builder", "Carol", h].sort().join(", ")}`, host);
    expect(await carolPage.title()).toBe("Live chat — 3 here");
    await carolPage.screenshot({ path: join(ARTIFACTS, "join-page.png") });

    // F12: the session row has the audience and the records, the invitation first
    const session = await until(async () => {
      const s = await a.sessions.get(invitation.session);
      return s && s.records.length >= 5 && s.audience.length >= 2 ? s : undefined;
    }, "the session's records");
    expect(session.audience.map((x) => x.who).sort()).toEqual(["Bob Builder", "Carol"]);
    expect(session.records.map((r) => `${r.from}: ${r.text}`)).toEqual([
      `${alice.jid}: ${invitation.text}`,
      `${host}: Welcome — the agenda is in the email`,
      "Bob Builder: Hi all, I am here",
      "Carol: Hello Bob",
      `${host}: Let us start with travel`,
    ]);
    expect(session.invited).toEqual([bob.jid]);

    // Bob leaves: Carol sees it
    await bobPage.click("#leave");
    await bobPage.waitForFunction(() => document.querySelector("h1")?.textContent === "You left the chat");
    await carolPage.waitForFunction(() => document.querySelector('section.area[data-nick="Bob Builder"]')?.classList.contains("away"));
  }, 90_000);

  it("a damaged link gets a page that says so and what to do; an unknown session says it has ended", async () => {
    const damaged = await visit(`${site.url}join.html#s=not-a-session&m=conference.localhost`);
    await damaged.waitForSelector("#problem");
    expect(await damaged.title()).toBe("Live chat — This link is not complete");
    expect(await damaged.textContent("#problem")).toBe("The invitation link is damaged or cut short, so it does not say which chat to join.");

    const page = await visit(`${site.url}join.html#s=${globalThis.crypto.randomUUID()}&m=${server().mucDomain}`);
    await page.waitForSelector("#name");
    await page.keyboard.type("Dana");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#problem");
    expect(await page.title()).toBe("Live chat — This chat has ended");
    expect(await page.$("#areas")).toBeNull(); // no new, empty room was made
  }, 60_000);

  it("a session with a password: the page asks for it (the inviter as the link names them), a wrong one is said plainly, the right one lets the guest in", async () => {
    const { alice } = await users("alice");
    const a = testEngine(alice);
    await a.start();
    const s = await a.sessions.create({ recipients: ["x@example.org"], subject: "Board", joinPage: `${site.url}join.html` });
    await a.sessions.configure(s.session, { membersOnly: false, password: "tulip-42" });
    const page = await visit(s.link);
    await page.waitForSelector("#name");
    // the inviter is what the link says (anyone can write one), and said so
    expect(await page.textContent("#join p.muted")).toBe(`The link says ${alice.jid} invited you. Nothing to install: type a name and join.`);
    await page.keyboard.type("Guest One");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.getElementById("status")?.textContent?.startsWith("This chat needs a password"));
    expect(await page.textContent("#status")).toBe(
      `This chat needs a password. Ask whoever sent you the link for it (the link names ${alice.jid}; the password is not in the email), type it above, then Join.`,
    );
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("room-password");
    await page.keyboard.type("tulip-41");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.getElementById("status")?.textContent?.startsWith("That password is not right"));
    await page.keyboard.type("tulip-42");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#areas");
    await until(async () => (await a.sessions.get(s.session))?.audience.some((x) => x.who === "Guest One"), "the guest in the session's audience");
  });

  it("the name is remembered in this browser for the next invitation", async () => {
    const { alice } = await users("alice");
    const a = testEngine(alice);
    await a.start();
    const first = await a.sessions.create({ recipients: ["x@example.org"], joinPage: `${site.url}join.html` });
    const page = await joinAs(first.link, "Erin");
    const second = await a.sessions.create({ recipients: ["x@example.org"], joinPage: `${site.url}join.html` });
    const next = await page.context().newPage();
    await next.goto(second.link);
    await next.waitForSelector("#name");
    expect(await next.inputValue("#name")).toBe("Erin");
  }, 60_000);

  it("F16: a reader picks their language; others' messages are translated (LibreTranslate API stand-in), the original one click away, their own left as written", async () => {
    const { alice } = await users("alice");
    const a = testEngine(alice);
    await a.start();
    const invitation = await a.sessions.create({ recipients: ["x@example.org"], joinPage: `${site.url}join.html` });
    const bobPage = await joinAs(invitation.link, "Bob");
    const carolPage = await joinAs(invitation.link, "Carol");
    await carolPage.selectOption("#language", "fr");
    await bobPage.focus("#message");
    await bobPage.keyboard.type("Hi all, I am here");
    await bobPage.keyboard.press("Enter");
    await waitInArea(carolPage, "Bob", "Bonjour à tous, je suis là");
    expect(translator.received.at(-1)).toMatchObject({ q: "Hi all, I am here", source: "auto", target: "fr", format: "text" });
    // Bob reads his own words as written
    expect(await areaText(bobPage, "Bob")).toEqual(["Hi all, I am here"]);
    const toggle = carolPage.locator('section.area[data-nick="Bob"] button.original');
    expect(await toggle.textContent()).toBe("Original");
    await toggle.click();
    await waitInArea(carolPage, "Bob", "Hi all, I am here");
    expect(await toggle.getAttribute("aria-pressed")).toBe("true");
    // a message the translator cannot do stays as written, with the reason
    await a.features.muc.send(invitation.room, "Untranslatable words");
    await waitInArea(carolPage, alice.jid.split("@")[0]!, "Untranslatable words");
    await carolPage.waitForFunction(() =>
      [...document.querySelectorAll(".body")].some((b) => b.getAttribute("title")?.startsWith("Not translated (fr is not supported")),
    );
    // the choice is remembered in this browser
    expect(await carolPage.evaluate(() => localStorage.getItem("reply-via-im:join-language"))).toBe("fr");
  }, 60_000);
});
