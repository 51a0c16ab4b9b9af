// F26 "unknown is not offline": someone who has not shared their presence with alice (RFC 6121)
// is not taken for offline. Her IM goes, and what happens to it decides: a receipt (delivered),
// their server's answer (failed, with the reason), or no confirmation in time (the choices, said
// as "not confirmed", and a late receipt still settles it). On both servers.
import { lineOf, openChatContext } from "../../src/engine/im-window";
import { stopEngines, testEngine } from "../kit/engine";
import { servers, until, usersOn } from "../kit/xmpp";
import en from "../../src/ui/_locales/en/messages.json";

afterEach(stopEngines);

describe.each(servers())("presence not shared, on %s", (_name, info) => {
  // bob's client never shares his presence with alice (he has not accepted her)
  const private_ = { approveSubscription: () => false };
  // but she is no stranger to him (F14: a stranger would get no receipt at all): they have emailed
  const emailed = (b: ReturnType<typeof testEngine>, from: string, to: string) =>
    b.recordEmail({ messageId: `<pu-${globalThis.crypto.randomUUID()}@x>`, from, to: [to], subject: "Hi", date: Date.UTC(2026, 10, 1), text: "hello" }, from);

  it("bob online but not sharing: the window says so (not offline), and the IM is delivered, no offline choices", async () => {
    const { alice, bob } = await usersOn(info, "alice", "bob");
    const b = testEngine(bob, private_);
    await emailed(b, alice.jid, bob.jid);
    const a = testEngine(alice, { presenceWaitMs: 300 });
    await Promise.all([a.start(), b.start()]);
    const ctx = await openChatContext(a, { jid: bob.jid });
    expect(ctx.presence).toBe("unknown");
    expect(ctx.available).toBe(false);

    const got: string[] = [];
    b.events.on("message", (m) => got.push(m.text));
    const out = await a.replyViaIm("are you there?", { to: bob.jid });
    expect(out.state).toBe("delivered"); // his client's receipt decided it
    await until(() => got.includes("are you there?"), "bob to get the IM");
    // alice asked to see his presence on the way (the email is the permission), and he holds the request
    await until(() => b.features.presence.requests().includes(alice.jid), "bob to hold alice's request");
  });

  it("bob away and not sharing: sent, not confirmed in time → the choices say so; his receipt later settles it", async () => {
    const { alice, bob } = await usersOn(info, "alice", "bob");
    const a = testEngine(alice, { presenceWaitMs: 300, receiptWaitMs: 800 });
    await a.start();
    const out = await a.replyViaIm("when you are back", { to: bob.jid });
    expect(out.state).toBe("asked");
    const line = lineOf((await a.item(out.id))!);
    expect(line).toMatchObject({ state: "asked", unconfirmed: true });
    expect((await a.item(out.id))!.transitions.map((t) => t.state)).toEqual(["composing", "checking", "sending", "sent", "asked"]);

    // the server kept it for him: he logs in, his client confirms, the IM is delivered
    const b = testEngine(bob, private_);
    await emailed(b, alice.jid, bob.jid);
    await b.start();
    await until(async () => (await a.item(out.id))?.state === "delivered", "the late receipt to settle the IM", 15_000);
    // once, whether the server's offline copy or the archive brought it first
    expect((await b.history(alice.jid)).items.filter((x) => x.kind === "im").map((x) => x.text)).toEqual(["when you are back"]);
  });

  it("nobody by that address: their server's answer fails the IM with a reason that says what to do", async () => {
    const { alice } = await usersOn(info, "alice");
    const a = testEngine(alice, { presenceWaitMs: 300, receiptWaitMs: 800 });
    await a.start();
    const ghost = `nobody-${Date.now()}@${info.domain}`;
    const out = await a.replyViaIm("hello?", { to: ghost });
    const item = await until(async () => {
      const i = await a.item(out.id);
      return i?.state === "failed" ? i : undefined;
    }, "the bounce to fail the IM");
    expect(item.reason).toMatch(/their server|no such address/);
    expect(item.reason).toMatch(/email/); // what to do instead
    // the server's condition is kept as a code the IM window says in the reader's language
    expect(Object.keys(en)).toContain(`reason_${(item.reasonCode ?? "none").replace(/-/g, "_")}`);
  });
});
