// End to end for the Outlook add-in's compose pane in real headless Chromium (test/outlook/pane.ts:
// the built pages, the Office stand-in, the run's SCRAM-only Prosody): the embeddable-IM
// invitation a person inserts into a draft. The other side is an engine in Node.
import { join } from "node:path";
import type { ComposeItemSpec } from "../kit/fake-office";
import { testEngine } from "../kit/engine";
import { until } from "../kit/xmpp";
import type { Account } from "../../src/xmpp/connection";
import { ARTIFACTS, callsOf, openPane, signedIn, users } from "./pane";
describe("Outlook: the IM invitation pane in a draft", () => {
  const draft = (bob: Account, carol: Account): ComposeItemSpec => ({
    kind: "compose",
    to: [{ displayName: "Bob", emailAddress: bob.jid }],
    cc: [{ displayName: "Carol", emailAddress: carol.jid }],
    subject: "Budget review",
    bodyType: "html",
    body: "<p>Hello both,</p>{caret}<p>Alice</p>",
  });

  it("makes a room for the draft's recipients, invites them, and Insert puts the invitation at the caret", async () => {
    const { alice, bob, carol } = await users("alice", "bob", "carol");
    const b = testEngine(bob);
    await b.start();
    const invited: string[] = [];
    b.features.muc.onInvite((i) => invited.push(i.room));
    const page = await openPane("compose.html", signedIn(alice, draft(bob, carol)), alice.password);
    await page.waitForFunction(() => document.title === "IM invitation — ready");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("insert");
    expect(await page.textContent("#invited")).toBe(`Invited by IM: ${bob.jid}, ${carol.jid}. Anyone else joins from the link in the email.`);
    await page.screenshot({ path: join(ARTIFACTS, "outlook-compose.png") });
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.getElementById("hint")?.textContent?.startsWith("The invitation is in your email"));
    const [[html, options]] = (await callsOf(page, "body.setSelectedDataAsync")) as [[string, { coercionType: string }]];
    expect(options).toEqual({ coercionType: "html" });
    const body = await page.evaluate(() => (window as unknown as { __fakeOffice: { draft: { body: string } } }).__fakeOffice.draft.body);
    // at the caret: between the greeting and the signature
    expect(body.startsWith(`<p>Hello both,</p>${html}`)).toBe(true);
    expect(body.endsWith("{caret}<p>Alice</p>")).toBe(true);
    // the join page hosted with these pages, the UUID session, the return address
    const session = new RegExp(`${new URL(page.url()).origin}/web/join\\.html#s=([0-9a-f-]{36})&amp;m=conference\\.localhost&amp;f=([^"&]+)`).exec(html);
    expect(session).not.toBeNull();
    expect(decodeURIComponent(session![2]!)).toBe(alice.jid);
    expect(html).toContain(`xmpp:${session![1]}@conference.localhost?join`);
    expect(html).toContain(`${new URL(page.url()).origin}/assets/embed-im-32.png`);
    await until(() => invited.length > 0, "bob's invitation to the room");
    expect(invited).toEqual([`${session![1]}@conference.localhost`]);
    expect(await b.features.muc.join(invited[0]!, "Bob")).toEqual({ created: false }); // the room exists
  }, 60_000);

  it("who can join: members-only and a password, chosen with the keyboard — strangers are kept out, bob gets the password by IM, the email says to ask for it and never holds it", async () => {
    const { alice, bob, carol, dave } = await users("alice", "bob", "carol", "dave");
    const b = testEngine(bob);
    const d = testEngine(dave);
    await Promise.all([b.start(), d.start()]);
    const passwords: (string | undefined)[] = [];
    b.features.muc.onInvite((i) => passwords.push(i.password));
    const page = await openPane("compose.html", signedIn(alice, draft(bob, carol)), alice.password);
    await page.waitForFunction(() => document.title === "IM invitation — ready");
    await page.focus("#members-only");
    await page.keyboard.press("Space");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Space"); // With a password: one is suggested
    const password = await page.inputValue("#room-password");
    expect(password).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter"); // in the password field: applies
    await page.waitForFunction(() => document.getElementById("access-status")?.textContent?.startsWith("Only the invited"));
    expect(await page.textContent("#access-status")).toContain(`The password is ${password}`);
    await page.screenshot({ path: join(ARTIFACTS, "outlook-compose-access.png") });
    await page.click("#insert");
    await page.waitForFunction(() => document.getElementById("hint")?.textContent?.startsWith("The invitation is in your email"));
    const [[html]] = (await callsOf(page, "body.setSelectedDataAsync")) as [[string]];
    expect(html).toContain(`Only the invited XMPP addresses can join; a password is needed: ask ${alice.jid} for it.`);
    expect(html).not.toContain(password);
    const room = `${/#s=([0-9a-f-]{36})/.exec(html)![1]}@conference.localhost`;
    await expect(d.features.muc.join(room, "Dave", { password })).rejects.toThrow(/for invited people only/);
    await until(() => passwords.includes(password), "bob's invitation with the password");
    await expect(b.features.muc.join(room, "Bob")).rejects.toThrow(/needs a password/);
    await expect(b.features.muc.join(room, "Bob", { password })).resolves.toEqual({ created: false });
  }, 60_000);

  it("no recipients yet: says to add them, and Try again works once they are there", async () => {
    const { alice, bob, carol } = await users("alice", "bob", "carol");
    const page = await openPane("compose.html", signedIn(alice, { ...draft(bob, carol), to: [], cc: [] }), alice.password);
    await page.waitForFunction(() => document.title === "IM invitation — not ready");
    expect(await page.textContent("#hint")).toBe("Add the recipients first: the chat session is made for them.");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("retry");
    await page.evaluate((d) => {
      const w = window as unknown as { Office: { context: { mailbox: { item: { to: { getAsync(cb: (r: unknown) => void): void } } } } } };
      w.Office.context.mailbox.item.to.getAsync = (cb) => setTimeout(() => cb({ status: "succeeded", value: d }), 0);
    }, draft(bob, carol).to);
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.title === "IM invitation — ready");
  }, 60_000);

  it("an Outlook without Mailbox 1.3 cannot insert: the pane says so", async () => {
    const { alice, bob, carol } = await users("alice", "bob", "carol");
    const page = await openPane("compose.html", signedIn(alice, draft(bob, carol), "1.1"), alice.password);
    await page.waitForFunction(() => document.title === "IM invitation — not ready");
    expect(await page.textContent("#hint")).toBe(
      "This Outlook does not offer Mailbox 1.3, which Reply via IM needs for inserting the invitation. Update Outlook, or use Outlook on the web.",
    );
  }, 60_000);
});
