// The IM window in real Chromium, driven by keyboard as a person would. Its host is a stand-in
// here (the engine behind it is tested against Prosody in test/engine/engine.test.ts; the real
// Thunderbird wiring belongs to the Thunderbird end-to-end tests).
import type { Page } from "playwright-core";
import { openPage, type PageSpec } from "../kit/axe";
import { stopEngines, testEngine } from "../kit/engine";
import { server, users } from "../kit/xmpp";
import { chatWindowSuite } from "./im-window-page";
import type { ChatPage } from "./pages";

const suite = chatWindowSuite();
let page: Page;
afterEach(() => page?.context().close());

/** The IM window on a stand-in host (test/ui/im-window-page.ts), as the page the tests below drive. */
async function openWindow(...args: Parameters<typeof suite.open>) {
  page = await suite.open(...args);
}

describe("F1/F2/F7 the IM window", () => {
  it("says who the IM goes to, where the address came from, presence, and the history as text", async () => {
    await openWindow(true);
    expect(await page.textContent("#to")).toBe("imTo(bob@example.org)");
    expect(await page.textContent("#source")).toBe("source_convention");
    expect(await page.textContent("#presence")).toBe("online");
    await page.click("#history summary");
    expect(await page.textContent(".history .text")).toBe("<b>numbers</b> attached"); // shown as text, not markup
    expect(await page.locator(".history b").count()).toBe(0);
    expect(await page.textContent(".history .files")).toBe("budget.xlsx");
  });

  it("keyboard only: type, Ctrl+Enter sends with the history options; states are announced", async () => {
    await openWindow(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("message");
    await page.keyboard.type("Can we talk?");
    await page.keyboard.press("Control+Enter");
    await page.waitForSelector('#conversation li[data-id="im-1"] [data-state="sent"]');
    expect(await page.evaluate(() => (window as unknown as ChatPage).calls)).toEqual([
      ["send", "Can we talk?", { includeHistory: true, historyDays: 0, historyLimit: 20 }],
    ]);
    expect(await page.inputValue("#message")).toBe("");
    await page.evaluate(() =>
      (window as unknown as ChatPage).push({ type: "line", line: { id: "im-1", direction: "out", text: "Can we talk?", at: 0, state: "delivered" } }),
    );
    expect(await page.textContent('#conversation li[data-id="im-1"] .state')).toBe("state_delivered");
    expect(await page.textContent("#live")).toBe("state_delivered");
    await page.evaluate(() => (window as unknown as ChatPage).push({ type: "line", line: { id: "in-1", direction: "in", text: "Sure, call me", at: 0 } }));
    expect(await page.textContent("#live")).toBe("newMessage(Sure, call me)");
    await page.evaluate(() => (window as unknown as ChatPage).push({ type: "presence", available: false }));
    expect(await page.textContent("#presence")).toBe("offline");
  });

  it("the box is free while an IM is on its way; a send that fails gives the text back with the reason", async () => {
    await openWindow(true);
    await page.evaluate(() => Object.assign(window as unknown as ChatPage, { sendFails: true, hold: true }));
    await page.keyboard.type("Do not lose me");
    await page.keyboard.press("Control+Enter");
    await page.waitForFunction(() => (window as unknown as ChatPage).release);
    expect(await page.inputValue("#message")).toBe(""); // free for the next one while this one travels
    await page.evaluate(() => (window as unknown as ChatPage).release!());
    await page.waitForFunction(() => document.getElementById("live")?.textContent?.includes("cannot be reached"));
    expect(await page.inputValue("#message")).toBe("Do not lose me");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("message");
  });

  it("F24: an email of the history, the one the conversation started from among them, opens from the window by keyboard", async () => {
    await openWindow(true);
    await page.click("#history summary");
    await page.getByRole("button", { name: "openEmailNamed(Budget 2027)" }).press("Enter");
    expect(await page.evaluate(() => (window as unknown as ChatPage).calls)).toEqual([["openEmail", "b27@mail.example.org"]]);
  });

  it("F9: Reply by email is a button in the window; the person is told the draft is open", async () => {
    await openWindow(true);
    await page.keyboard.press("Shift+Tab"); // message box → the history's summary
    await page.keyboard.press("Shift+Tab"); // → Reply by email
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("reply-email");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.getElementById("live")?.textContent === "emailOpened");
    expect(await page.evaluate(() => (window as unknown as ChatPage).calls)).toEqual([["replyByEmail"]]);
  });

  it("F6: the contact is offline — the three choices, reachable by keyboard; convert is passed on", async () => {
    await openWindow(false);
    await page.keyboard.type("Are you there?");
    await page.keyboard.press("Control+Enter");
    await page.waitForSelector(".choices");
    const labels = await page.locator(".choices button").allTextContents();
    expect(labels).toEqual(["choice_keep", "choice_cancel", "choice_convert"]);
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.choice)).toBe("keep");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-state="converted"]');
    expect((await page.evaluate(() => (window as unknown as ChatPage).calls))[1]).toEqual(["decide", "im-1", "convert"]);
  });
});

describe("F26 text people send cannot bend the page", () => {
  const LONG = "x".repeat(20_000);
  const RLO = "\u202egnp.exe harmless";
  /** The page is no wider than its window, and each of `selectors` has its own direction, isolated. */
  async function unbent(p: Page, selectors: string[]) {
    const [wide, viewport] = await p.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
    expect(wide).toBeLessThanOrEqual(viewport);
    for (const s of selectors) {
      expect(await p.$eval(s, (e) => [e.getAttribute("dir"), getComputedStyle(e).unicodeBidi, getComputedStyle(e).overflowWrap])).toEqual([
        "auto",
        "isolate",
        "anywhere",
      ]);
    }
  }
  const MARKED = "⟨U+202E⟩gnp.exe harmless";
  /** The text of `selector` is the override marked, and it is drawn as typed: "gnp.exe" with its "g" left of its last "e" (one word: one line). */
  async function readsAsTyped(p: Page, selector: string) {
    expect(await p.textContent(selector)).toBe(MARKED);
    const [g, e] = await p.$eval(
      selector,
      (e, at) =>
        at.map((i) => {
          const r = document.createRange();
          r.setStart(e.firstChild!, i);
          r.setEnd(e.firstChild!, i + 1);
          return r.getBoundingClientRect().left;
        }),
      [MARKED.indexOf("g"), MARKED.indexOf(" ") - 1],
    );
    expect(g).toBeLessThan(e!);
  }
  const pageOf = (name: string, host: "thunderbird" | "outlook", html: string, show: PageSpec["show"], args: unknown[]): PageSpec => ({
    name,
    host,
    html,
    show,
    args,
    viewport: { width: 520, height: 640 },
  });

  it("the IM window: a 20,000-letter word wraps; an override stays inside its message, marked, and out of the title", async () => {
    page = await openPage(
      suite.browser(),
      pageOf("chat", "thunderbird", "src/hosts/thunderbird/chat.html", "chat", [
        [
          { id: "long", direction: "in", text: LONG, at: Date.now() },
          { id: "rlo", direction: "in", text: RLO, at: Date.now() },
        ],
      ]),
      "light",
    );
    await unbent(page, ['[data-id="long"] .text', '[data-id="rlo"] .text']);
    await readsAsTyped(page, '[data-id="rlo"] .text');
    await page.evaluate(
      (text) => (window as unknown as { push(e: unknown): void }).push({ type: "line", line: { id: "new", direction: "in", text, at: Date.now() } }),
      RLO,
    );
    expect(await page.textContent("#live")).toBe(`New message: ${MARKED}`); // marked, it cannot turn our sentence around
    // right-to-left words are still isolated inside our sentence, their override marked too
    await page.evaluate(
      (text) => (window as unknown as { push(e: unknown): void }).push({ type: "line", line: { id: "he", direction: "in", text, at: Date.now() } }),
      "\u202eשלום",
    );
    expect(await page.textContent("#live")).toBe("New message: \u2068⟨U+202E⟩שלום\u2069");
  });

  it("the contacts and the transcript banner: names and words isolated, overrides marked, long ones wrapped", async () => {
    page = await openPage(
      suite.browser(),
      pageOf("contacts", "thunderbird", "src/hosts/thunderbird/contacts.html", "contacts", [
        [
          { jid: "long@example.org", name: LONG },
          { jid: "rlo@example.org", name: RLO },
        ],
      ]),
      "dark",
    );
    await page.waitForSelector('li[data-jid="rlo@example.org"]');
    await unbent(page, ['li[data-jid="long@example.org"] .person-name', 'li[data-jid="rlo@example.org"] .person-name']);
    await readsAsTyped(page, 'li[data-jid="rlo@example.org"] .person-name');
    await page.context().close();
    page = await openPage(
      suite.browser(),
      pageOf("transcript", "outlook", "src/hosts/outlook/taskpane.html", "transcript", [[{ at: Date.now(), from: RLO, text: LONG, id: "r3" }]]),
      "light",
    );
    await unbent(page, [".rvi-records li:last-child .rvi-from", ".rvi-records li:last-child .said:last-child"]);
    await readsAsTyped(page, ".rvi-records li:last-child .rvi-from");
  });

  it("F11 the join page, in a live session on the run's Prosody: each message isolated, marked and wrapped", async () => {
    const { alice } = await users("alice");
    const a = testEngine(alice);
    await a.start();
    const invitation = await a.sessions.create({
      recipients: ["bob@example.org"],
      subject: "Budget review",
      joinPage: "https://addins.example.org/web/join.html",
    });
    await a.features.muc.send(invitation.room, LONG);
    await a.features.muc.send(invitation.room, RLO);
    page = await openPage(
      suite.browser(),
      { name: "join", host: "web", html: "src/ui/join/join.html", show: "join", args: [invitation.link, server().service, server().guestDomain] },
      "light",
    );
    await page.fill("#name", "Bob Builder");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelectorAll("section.area .body").length === 2);
    await unbent(page, ["section.area li:first-child .body", "section.area li:last-child .body"]);
    await readsAsTyped(page, "section.area li:last-child .body");
    await stopEngines();
  }, 60_000);
});

describe("F26 typing (XEP-0085) in the IM window", () => {
  it("says when the person types, and tells them when the user does: composing once, active when the box is emptied", async () => {
    page = await openPage(suite.browser(), { name: "chat", host: "thunderbird", html: "src/hosts/thunderbird/chat.html", show: "chat" }, "light");
    const push = (e: unknown) => page.evaluate((e) => (window as unknown as { push(e: unknown): void }).push(e), e);
    await push({ type: "typing", state: "composing" });
    expect(await page.textContent("#typing")).toBe("Bob Builder is typing…");
    await push({ type: "typing", state: "paused" });
    expect(await page.textContent("#typing")).toBe("");
    await push({ type: "typing", state: "composing" });
    await push({ type: "line", line: { id: "in-9", direction: "in", text: "Here it is", at: Date.now() } });
    expect(await page.textContent("#typing")).toBe(""); // the message came: no longer typing
    await page.focus("#message");
    await page.keyboard.type("On my way");
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Backspace");
    expect(await page.evaluate(() => (window as unknown as { typed: string[] }).typed)).toEqual(["composing", "active"]);
  });
});

describe("F26 people by name and face (issue 15)", () => {
  it("the person's name with the address under it, and their published picture in place of the initials", async () => {
    // a 1×1 PNG, as the engine keeps a vCard PHOTO
    const picture = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
    page = await openPage(suite.browser(), { name: "chat", host: "thunderbird", html: "src/hosts/thunderbird/chat.html", show: "chat" }, "light");
    expect(await page.textContent("#to")).toBe("IM to Bob Builder");
    expect(await page.textContent("#address")).toBe("bob@example.org");
    expect(await page.textContent(".chat-header .avatar")).toBe("BB");
    await page.context().close();
    page = await openPage(
      suite.browser(),
      { name: "chat", host: "thunderbird", html: "src/hosts/thunderbird/chat.html", show: "chat", args: [[], picture] },
      "light",
    );
    expect(await page.getAttribute(".chat-header img.avatar", "src")).toBe(picture);
    expect(await page.getAttribute(".chat-header img.avatar", "alt")).toBe("");
  });
});
