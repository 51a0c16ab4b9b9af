// Engines for tests: each on its own fresh store, with retries fast enough for a test.
import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import { createEngine, type Engine, type EngineOptions } from "../../src/engine/engine";
import type { Account } from "../../src/xmpp/connection";
import { openStore, type Store } from "../../src/store";
import { until } from "./xmpp";
import { NS_HISTORY } from "../../src/xmpp/history-payload";
import type { Element } from "@xmpp/xml";

const running = new Set<Engine>();

export function testEngine(account: EngineOptions["account"], opts: Partial<EngineOptions> & { factory?: IDBFactory } = {}) {
  const factory = opts.factory ?? new IDBFactory();
  const store: Store = opts.store ?? openStore({ name: "engine", indexedDB: factory, IDBKeyRange });
  const engine = createEngine({
    account,
    me: account.jid,
    store,
    retry: { baseMs: 100, capMs: 400, maxAttempts: 50 },
    outboxTickMs: 100,
    presenceWaitMs: 1000,
    receiptWaitMs: 3000,
    approveSubscription: () => true,
    ...opts,
  });
  running.add(engine);
  return Object.assign(engine, { store, factory });
}

/**
 * The history payloads that reach a started engine, as they came on the wire (each item's kind,
 * subject, text and attachment names): what the sender attached, whoever's words the receiver
 * then keeps (its own, claimed by another, it does not).
 */
export function historyOnWire(e: Engine): [string, string | undefined, string, string[]][][] {
  const got: [string, string | undefined, string, string[]][][] = [];
  e.connection!.xmpp.on("stanza", (st: Element) => {
    const h = st.is("message") ? st.getChild("history", NS_HISTORY) : undefined;
    if (!h) return;
    got.push(
      h.getChildElements().map((c) => {
        const inner = c.getChild("message") ?? c;
        const names = inner.getChildren("attachment").map((a) => String(a.attrs.name));
        return c.name === "email"
          ? ["email", String(c.attrs.subject), c.getChildText("text") ?? "", names]
          : ["im", undefined, inner.getChildText("body") ?? "", names];
      }),
    );
  });
  return got;
}

export async function stopEngines() {
  await Promise.all([...running].map((e) => e.stop()));
  running.clear();
}

/**
 * F13's scene: bob made a chat session about "Budget review" for alice and carol, carol joined and
 * said "Travel is fixed at 4k.", and bob read it. Returns their engines and the invitation.
 */
export async function bobsSession(alice: Account, bob: Account, carol: Account) {
  const b = testEngine(bob);
  const c = testEngine(carol);
  await Promise.all([b.start(), c.start()]);
  const s = await b.sessions.create({ recipients: [alice.jid, carol.jid], subject: "Budget review", joinPage: "https://addins.example.org/web/join.html" });
  const bobSaw: string[] = [];
  b.features.muc.onMessage((m) => bobSaw.push(m.body));
  await c.features.muc.join(s.room, "Carol");
  await c.features.muc.send(s.room, "Travel is fixed at 4k.");
  await until(() => bobSaw.includes("Travel is fixed at 4k."), "bob to read carol");
  return { b, c, s };
}
