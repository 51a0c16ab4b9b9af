// XEP-0085 chat states against the run's Prosody: the IM window's "Bob is typing…" line comes from
// here (xmpp → the engine's "typing" event → the window's subscription), and the window's own typing
// goes out the same way.
import { xml } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import { chat, NS_CHATSTATES, NS_DELAY, type ChatState } from "../../src/xmpp/chat";
import { loginAs, logoutAll, until, users } from "../kit/xmpp";
import { stopEngines, testEngine } from "../kit/engine";

afterEach(async () => {
  await logoutAll();
  await stopEngines();
});

describe("F26 typing (XEP-0085 chat states)", () => {
  it("composing, paused and active are heard, with or without a body; a delayed one is not news", async () => {
    const { alice, bob } = await users("alice", "bob");
    const a = await loginAs(alice);
    const b = await loginAs(bob);
    const heard: [string, ChatState][] = [];
    const texts: string[] = [];
    const bobChat = chat({ xmpp: b.xmpp });
    bobChat.onState((who, state) => heard.push([who, state]));
    bobChat.onMessage((m) => texts.push(m.body));
    let delayedArrived = false;
    b.xmpp.on("stanza", (st: Element) => (delayedArrived ||= Boolean(st.getChild("gone", NS_CHATSTATES) && st.getChild("delay", NS_DELAY))));
    await b.xmpp.send(xml("presence")); // available: messages to his bare address reach him
    const aliceChat = chat({ xmpp: a.xmpp });
    // a state with a <delay/> (kept somewhere, and sent on later) is old news: it arrives, and is not said
    await a.xmpp.send(
      xml(
        "message",
        { to: bob.jid, type: "chat" },
        xml("gone", { xmlns: NS_CHATSTATES }),
        xml("delay", { xmlns: NS_DELAY, stamp: new Date(Date.now() - 3_600_000).toISOString() }),
      ),
    );
    await aliceChat.sendState(bob.jid, "composing");
    await aliceChat.sendState(bob.jid, "paused");
    await aliceChat.send({ to: bob.jid, id: "cs-1", body: "There you go" }); // a message carries "active"
    await until(() => heard.length === 3 && texts.length === 1 && delayedArrived, "bob to hear three states and one message, and get the delayed one");
    expect(heard).toEqual([
      [a.bare, "composing"],
      [a.bare, "paused"],
      [a.bare, "active"],
    ]);
    expect(texts).toEqual(["There you go"]); // a state alone is not a message
  });

  it("the engine tells the window: a 'typing' event with the person's bare address", async () => {
    const { alice, bob } = await users("alice", "bob");
    const a = testEngine(alice);
    const b = testEngine(bob);
    await a.start();
    await b.start();
    const typing: [string, ChatState][] = [];
    b.events.on("typing", (who, state) => typing.push([who, state]));
    await a.features.chat.sendState(bob.jid, "composing");
    await until(() => typing.length === 1, "bob's engine to hear alice typing");
    expect(typing).toEqual([[alice.jid, "composing"]]);
  });
});
