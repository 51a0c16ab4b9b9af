// Issue 21 in real Thunderbird: a crafted email, as anyone can send one, in the person's Inbox.
// "Bob" (a From anyone can write) names mallory's XMPP address in an X-Jabber-ID header, and his
// first link is 220 KB made to make the old invitation finder take hours (the background page, the
// XMPP connection and every window with it); his second invites to a room on his own server. The built XPI, unchanged; mallory is a bare xmpp.js
// client on the run's Prosody that records every stanza it gets.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { xml } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import { buildToTemp } from "../kit/build";
import { keys, mbox, person, startThunderbird, type Thunderbird } from "../../scripts/lib/thunderbird";
import { loginAs, logoutAll, until, users } from "../kit/xmpp";

let out: string;
let tb: Thunderbird | undefined;

beforeAll(async () => {
  ({ out } = await buildToTemp());
}, 60_000);
afterEach(async () => {
  await tb?.stop();
  tb = undefined;
  await logoutAll();
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

const SESSION = "0f8fad5b-d9cb-469f-a165-70867728950e";

describe("issue 21 in real Thunderbird: a hostile email", () => {
  it("a first link of 220 KB made to stall the invitation finder, and an X-Jabber-ID naming mallory: Reply via IM opens, the window says the address is that email's claim, mallory gets nothing until the person confirms it, and the banner finds the invitation after the attack", async () => {
    const { alice, mallory } = await users("alice", "mallory");
    const m = await loginAs(mallory);
    const got: Element[] = [];
    m.xmpp.on("stanza", (s: Element) => got.push(s));
    await m.xmpp.send(xml("presence")); // available: an IM to his address would reach him at once
    const toMallory = () =>
      got.filter(
        (s) =>
          (s.is("message") && (s.getChildText("body") || s.getChild("composing"))) ||
          (s.is("iq") && s.getChild("vCard")) ||
          (s.is("presence") && s.attrs.type === "subscribed"),
      );

    // an HTML email: its first link is 220 KB made to stall the old invitation finder (8.8 KB of it
    // took 1.3 s, growing as the cube), its second a join link to a room on the sender's server
    const attack = `https://a.example/#${"https://#s=".repeat(20_000)}`;
    const crafted = `https://chat.evil.example/j#s=${SESSION}&amp;m=muc.evil.example&amp;f=alice%40localhost`;
    const email = [
      "From: Bob Builder <bob@corp.example>",
      `To: ${alice.jid}`,
      "Subject: Budget",
      "Message-ID: <spoof1@corp.example>",
      "Date: Mon, 2 Nov 2026 09:00:00 +0000",
      `X-Jabber-ID: ${mallory.jid}`,
      "MIME-Version: 1.0",
      "Content-Type: text/html; charset=utf-8",
      "",
      `<html><body><p>Numbers <a href="${attack}">attached</a>.</p><p><a href="${crafted}">Join us</a></p><p>Regards, Bob</p></body></html>`,
      "",
    ].join("\n");
    tb = await startThunderbird({ xpi: join(out, "reply-via-im-0.1.0.xpi"), me: alice.jid, folders: { Inbox: mbox([email]) } });
    const me = person(tb);
    const logTail = () =>
      tb!
        .log()
        .split("\n")
        .filter((l) => /Reply via IM|error/i.test(l))
        .slice(-25)
        .join("\n");
    const withLog = (e: Error) => {
      throw new Error(`${e.message}\n${logTail()}`);
    };

    expect(await me.showMessage("spoof1@corp.example")).toBe("Reply via IM");
    expect(await me.pressReplyViaIm()).toBe(true);
    // the account, once: the address is filled in from the mail identity; the server typed under Advanced
    await me.waitTitle("^Your XMPP account$", 20_000).catch(withLog);
    await me.type([{ text: alice.password ?? "" }, keys.tab, keys.enter, keys.tab, { text: alice.service ?? "" }, keys.enter]);
    await me.waitTitle("^IM to Bob Builder$", 20_000).catch(withLog);

    // where the address came from, and which email: the person can judge whether it was Bob's
    expect(await me.imWindowText("source", "headers")).toMatch(
      /^Announced in their emails' headers \(the email “Budget” of .+ — anyone can send an email in someone's name: confirm only if it was theirs\)$/,
    );
    await me.type([{ text: "Here are my budget notes" }, keys.ctrlEnter]);
    expect(await me.imWindowText("live", "only found in an email")).toContain(`The IM address ${mallory.jid} for bob@corp.example was only found in an email`);

    // a round trip to the server after everything the add-in could have sent: nothing reached mallory
    await m.xmpp.iqCaller.request(xml("iq", { type: "get", to: m.xmpp.jid!.domain }, xml("ping", { xmlns: "urn:xmpp:ping" })));
    expect(toMallory()).toEqual([]);

    // Confirm (the focus is there), then Send: the text the person wrote waited in the box
    await me.type([keys.enter]);
    expect(await me.imWindowText("source", "^Address you chose$", 10_000)).toBe("Address you chose");
    expect(await me.clickInImWindow("send")).toBe(true);
    await until(
      () => got.some((s) => s.is("message") && s.getChildText("body")?.startsWith("Here are my budget notes")),
      "the IM, once confirmed",
      20_000,
    ).catch(withLog);

    // the banner, asked again now that there is an account: both links read to the end, the room elsewhere not asked
    await me.closeImWindow();
    expect(await me.messageBanner("No XMPP account is set up yet")).toContain("Try again");
    expect(await me.clickInMessage("rvi-refresh")).toBe(true);
    expect(await me.messageBanner("another chat server").catch(withLog)).toContain(
      "This chat session is on another chat server (muc.evil.example). Nothing was asked of it",
    );
  }, 180_000);
});
