import { advance, canAdvance, DeliveryState, nextState, type DeliveryEvent, type OutboxItem } from "../../src/core";
import { freshStore } from "../kit/store";

const item = (state: OutboxItem["state"]): OutboxItem => ({
  id: "im-1",
  to: "bob@example.org",
  counterpart: "bob@example.org",
  text: "hi",
  createdAt: 0,
  state,
  attempts: 0,
  nextAttemptAt: 0,
  transitions: [],
});

const EVENTS: DeliveryEvent[] = [
  { type: "check" },
  { type: "available" },
  { type: "unavailable" },
  { type: "ask" },
  { type: "keep" },
  { type: "cancel" },
  { type: "convert" },
  { type: "retry" },
  { type: "acked" },
  { type: "receipt" },
  { type: "fail", reason: "x" },
];

// The full table the product promises (F5–F7); anything not here must be refused.
const ALLOWED: Record<string, string> = {
  "composing check": "checking",
  "composing cancel": "cancelled",
  "checking available": "sending",
  "checking unavailable": "unavailable",
  "checking fail": "failed",
  "unavailable ask": "asked",
  "unavailable keep": "queued",
  "unavailable cancel": "cancelled",
  "unavailable convert": "converted",
  "asked keep": "queued",
  "asked cancel": "cancelled",
  "asked convert": "converted",
  "asked receipt": "delivered",
  "queued retry": "sending",
  "queued cancel": "cancelled",
  "queued convert": "converted",
  "queued fail": "failed",
  "queued receipt": "delivered",
  "sending acked": "sent",
  "sending receipt": "delivered",
  "sending unavailable": "queued",
  "sending fail": "failed",
  "sent receipt": "delivered",
  "sent retry": "sending",
  "sent keep": "queued",
  "sent ask": "asked",
  "sent fail": "failed",
  "failed keep": "queued",
  "failed convert": "converted",
  "failed cancel": "cancelled",
  "failed receipt": "delivered",
};

describe("F5–F7 delivery state machine", () => {
  it("happy path: composing → checking → sending → sent → delivered", () => {
    let it1 = item("composing");
    for (const [e, at] of [
      ["check", 1],
      ["available", 2],
      ["acked", 3],
      ["receipt", 4],
    ] as const)
      it1 = advance(it1, { type: e }, at);
    expect(it1.state).toBe("delivered");
    expect(it1.transitions).toEqual([
      { state: "checking", at: 1 },
      { state: "sending", at: 2 },
      { state: "sent", at: 3 },
      { state: "delivered", at: 4 },
    ]);
  });

  it("offline path: unavailable → asked → queued / cancelled / converted", () => {
    const asked = advance(advance(advance(item("composing"), { type: "check" }, 1), { type: "unavailable" }, 2), { type: "ask" }, 3);
    expect(asked.state).toBe("asked");
    expect(nextState("asked", { type: "keep" })).toBe("queued");
    expect(nextState("asked", { type: "cancel" })).toBe("cancelled");
    expect(nextState("asked", { type: "convert" })).toBe("converted");
  });

  it("a failure keeps its reason", () => {
    const failed = advance(item("sending"), { type: "fail", reason: "server closed the stream" }, 5);
    expect(failed).toMatchObject({ state: "failed", reason: "server closed the stream" });
    expect(failed.transitions.at(-1)).toEqual({ state: "failed", at: 5, reason: "server closed the stream" });
  });

  describe.each(DeliveryState.options)("from %s", (state) => {
    it.each(EVENTS.map((e) => [e.type, e] as const))("on %s", (_t, event) => {
      const expected = ALLOWED[`${state} ${event.type}`];
      expect(canAdvance(state, event.type)).toBe(expected !== undefined);
      if (expected) expect(nextState(state, event)).toBe(expected);
      else expect(() => nextState(state, event)).toThrow(`An IM that is ${state} cannot be moved by "${event.type}"`);
    });
  });

  it("every state persists and reads back unchanged", async () => {
    const { outbox } = freshStore();
    for (const state of DeliveryState.options) {
      await outbox.put({ ...item(state), id: `im-${state}` });
      expect((await outbox.get(`im-${state}`))?.state).toBe(state);
    }
  });
});
