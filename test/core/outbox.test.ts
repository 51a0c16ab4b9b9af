import { backoffDelay, createOutbox, DEFAULT_RETRY, type AttemptOutcome, type OutboxItem } from "../../src/core";
import { freshStore, manualClock } from "../kit/store";

const im = (id: string, to = "bob@example.org"): OutboxItem => ({
  id,
  to,
  counterpart: to,
  text: `text of ${id}`,
  createdAt: 0,
  state: "asked",
  attempts: 0,
  nextAttemptAt: 0,
  transitions: [],
});

function setup(
  answer: (item: OutboxItem) => Promise<AttemptOutcome> | AttemptOutcome,
  opts: { store?: ReturnType<typeof freshStore>; maxAttempts?: number } = {},
) {
  const store = opts.store ?? freshStore();
  const clock = manualClock();
  const sent: string[] = [];
  const changes: OutboxItem[] = [];
  const outbox = createOutbox({
    store: store.outbox,
    clock,
    random: () => 0.5,
    policy: { baseMs: 1000, capMs: 8000, maxAttempts: opts.maxAttempts ?? 5 },
    attempt: async (item) => {
      sent.push(item.id);
      return answer(item);
    },
    onChange: (i) => changes.push(i),
  });
  /** When the next queued IM is due (what the outbox's timer looks at). */
  const nextDue = async () => (await store.outbox.due(Number.MAX_SAFE_INTEGER, 1))[0]?.nextAttemptAt;
  return { store, clock, outbox, sent, changes, nextDue };
}

describe("F6 outbox", () => {
  it("backs off exponentially with jitter, up to a cap", () => {
    const policy = { baseMs: 1000, capMs: 8000, maxAttempts: 10 };
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, policy, () => 1))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, policy, () => 0))).toEqual([500, 1000, 2000, 4000]);
    const spread = new Set(Array.from({ length: 50 }, () => backoffDelay(3, policy, Math.random)));
    expect(spread.size).toBeGreaterThan(10);
    expect(DEFAULT_RETRY.capMs).toBeGreaterThan(DEFAULT_RETRY.baseMs);
  });

  it("keeps retrying while the contact is offline, waiting longer each time", async () => {
    const { outbox, clock, sent, store, nextDue } = setup(() => "unavailable");
    await outbox.enqueue(im("a"));
    expect(await outbox.drain()).toBe(1);
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      const due = (await nextDue())!;
      waits.push(due - clock.now());
      expect(await outbox.drain()).toBe(0); // not yet due
      clock.set(due);
      expect(await outbox.drain()).toBe(1);
    }
    expect(waits).toEqual([750, 1500, 3000]);
    expect(sent).toEqual(["a", "a", "a", "a"]);
    expect(await store.outbox.get("a")).toMatchObject({ state: "queued", attempts: 4, reason: "contact offline" });
  });

  it("tries at once when the contact comes online, and only their IMs", async () => {
    let online = false;
    const { outbox, sent, store } = setup(() => (online ? "acked" : "unavailable"));
    await outbox.enqueue(im("a"));
    await outbox.enqueue(im("b", "carol@example.org"));
    await outbox.drain();
    sent.length = 0;
    online = true;
    expect(await outbox.contactOnline("bob@example.org")).toBe(1);
    expect(sent).toEqual(["a"]);
    expect((await store.outbox.get("a"))?.state).toBe("sent");
    expect((await store.outbox.get("b"))?.state).toBe("queued");
  });

  it("kept IMs arrive in the order written, whatever order the jittered retry times put them in", async () => {
    let online = false;
    const jitter = [0.9, 0.0, 0.5]; // the first IM's retry falls last
    const store = freshStore();
    const clock = manualClock();
    const sent: string[] = [];
    const outbox = createOutbox({
      store: store.outbox,
      clock,
      random: () => jitter.shift() ?? 0.5,
      policy: { baseMs: 1000, capMs: 8000, maxAttempts: 5 },
      attempt: async (item) => (online ? (sent.push(item.id), "acked") : "unavailable"),
    });
    for (const [id, at] of [
      ["first", 1],
      ["second", 2],
      ["third", 3],
    ] as const) {
      clock.set(at);
      await outbox.enqueue({ ...im(id), createdAt: at });
    }
    await outbox.drain(); // offline: each gets its own jittered retry time
    const due = (await store.outbox.due(Number.MAX_SAFE_INTEGER, 10)).map((i) => i.id);
    expect(due[0]).not.toBe("first"); // the retry times alone would send another one first
    online = true;
    clock.set((await store.outbox.get("second"))!.nextAttemptAt);
    await outbox.drain();
    expect(sent).toEqual(["first", "second", "third"]);
  });

  it("a later IM never overtakes an earlier one that did not go through", async () => {
    const { outbox, sent, store } = setup((item) => (item.id === "first" ? { error: "the server did not confirm the message" } : "acked"));
    await outbox.enqueue({ ...im("first"), createdAt: 1 });
    await outbox.enqueue({ ...im("second"), createdAt: 2 });
    await outbox.contactOnline("bob@example.org");
    expect(sent).toEqual(["first"]);
    expect((await store.outbox.get("second"))?.state).toBe("queued");
  });

  it("gives up after the limit and tells the user why and what to do", async () => {
    const { outbox, clock, changes, store, nextDue } = setup(() => "unavailable", { maxAttempts: 3 });
    await outbox.enqueue(im("a"));
    for (let i = 0; i < 5; i++) {
      await outbox.drain();
      const due = await nextDue();
      if (due === undefined) break;
      clock.set(due);
    }
    const final = await store.outbox.get("a");
    expect(final).toMatchObject({ state: "failed", attempts: 3 });
    expect(final?.reason).toMatch(/gave up after 3 attempts \(contact offline\); convert it to an email/);
    expect(final?.reasonCode).toBe("gave-up"); // what a page says in the reader's language
    expect(changes.at(-1)?.state).toBe("failed");
  });

  it("a late receipt racing a retry: delivered once, never sent again, never shown twice", async () => {
    let release!: (o: AttemptOutcome) => void;
    const { outbox, sent, store, changes } = setup(() => new Promise((r) => (release = r)));
    await outbox.enqueue(im("a"));
    const draining = outbox.drain();
    await new Promise((r) => setTimeout(r, 20));
    expect(sent).toEqual(["a"]);
    // the receipt for the first (offline-stored) copy arrives while the retry is in flight
    expect((await outbox.receipt("a"))?.state).toBe("delivered");
    release("acked"); // the in-flight attempt's ack must not move it back to "sent"
    await draining;
    expect((await store.outbox.get("a"))?.state).toBe("delivered");
    expect(await outbox.receipt("a")).toBeUndefined(); // a second receipt changes nothing
    expect(await outbox.drain()).toBe(0);
    expect(await outbox.contactOnline("bob@example.org")).toBe(0);
    expect(sent).toEqual(["a"]);
    expect(changes.filter((c) => c.state === "delivered")).toHaveLength(1);
  });

  it("two drains at once claim each item once", async () => {
    const { outbox, sent } = setup(async (): Promise<AttemptOutcome> => "acked");
    for (const id of ["a", "b", "c"]) await outbox.enqueue(im(id));
    const [x, y] = await Promise.all([outbox.drain(), outbox.drain()]);
    expect(x + y).toBe(3);
    expect([...sent].sort()).toEqual(["a", "b", "c"]);
  });

  it("an error while sending is kept as the reason and retried", async () => {
    const { outbox, store } = setup(() => {
      throw new Error("socket closed");
    });
    await outbox.enqueue(im("a"));
    await outbox.drain();
    expect(await store.outbox.get("a")).toMatchObject({ state: "queued", reason: "socket closed", attempts: 1 });
  });

  it("reopening the database resumes the queue, including an item caught mid-send", async () => {
    const first = freshStore({ name: "resume" });
    let hang = true;
    const a = setup(() => (hang ? new Promise<AttemptOutcome>(() => {}) : "acked"), { store: first });
    await a.outbox.enqueue(im("queued-1"));
    await a.outbox.enqueue(im("mid-send"));
    // claim mid-send, then "crash": the attempt never returns
    await first.outbox.update("queued-1", (i) => ({ ...i, nextAttemptAt: Number.MAX_SAFE_INTEGER - 1 }));
    void a.outbox.drain();
    await new Promise((r) => setTimeout(r, 20));
    expect((await first.outbox.get("mid-send"))?.state).toBe("sending");
    first.close();

    hang = false;
    const reopened = freshStore({ name: "resume", indexedDB: first.factory });
    const b = setup(() => "acked", { store: reopened });
    expect(await b.outbox.resume()).toBe(1);
    await reopened.outbox.update("queued-1", (i) => ({ ...i, nextAttemptAt: 0 }));
    expect(await b.outbox.drain()).toBe(2);
    expect((await reopened.outbox.get("mid-send"))?.state).toBe("sent");
    expect((await reopened.outbox.get("queued-1"))?.state).toBe("sent");
    expect((await reopened.outbox.get("mid-send"))?.transitions.map((t) => t.state)).toEqual(["queued", "sending", "queued", "sending", "sent"]);
  });
});

describe("F6 outbox after a lost connection", () => {
  it("IMs the server took but nobody confirmed are queued again, with the same id", async () => {
    const { outbox, store, sent } = setup(() => "acked");
    await outbox.enqueue(im("a"));
    await outbox.drain();
    expect((await store.outbox.get("a"))?.state).toBe("sent");
    expect(await outbox.requeueUnconfirmed()).toBe(1);
    expect((await store.outbox.get("a"))?.state).toBe("queued");
    await outbox.receipt("a"); // the first copy did arrive after all
    expect(await outbox.drain()).toBe(0);
    expect(sent).toEqual(["a"]);
    expect(await outbox.requeueUnconfirmed()).toBe(0);
  });
});
