// What both hosts share around the engine (src/engine/host-backend.ts, src/engine/holder.ts), with real
// engines against the run's Prosody: one account check for both hosts, and the contacts view
// that keeps updating when new settings restart the engine (the Outlook panel stopped, before).
import { DEFAULT_SETTINGS, isProblem, type Settings } from "../../src/core";
import { hostBackend } from "../../src/engine/host-backend";
import { engineHolder, requireAccount } from "../../src/engine/holder";
import type { ContactsView } from "../../src/engine/engine";
import type { ChatTarget } from "../../src/engine/im-window";
import { stopEngines, testEngine } from "../kit/engine";
import { freshStore } from "../kit/store";
import { until, users } from "../kit/xmpp";
import type { Account } from "../../src/xmpp/connection";

afterEach(stopEngines);

/** A host as both hosts wire it: settings it keeps, drafts and notices it records. */
function paneLike(initial: Partial<Settings> = {}) {
  let settings: Settings = { ...DEFAULT_SETTINGS, ...initial };
  let started = 0;
  const holder = engineHolder({
    settings: async () => settings,
    needsAccount: () => "No XMPP account is set up here: enter yours below.",
    create: (account) => testEngine({ ...account, resource: `pane-${++started}` }),
  });
  const drafts: unknown[] = [];
  const backend = hostBackend<ChatTarget>({
    engine: holder,
    store: freshStore(),
    settings: async () => settings,
    host: {
      target: async (on) => on,
      openDraft: (draft, o) => void drafts.push({ draft, o }),
      notifyDelivered: () => undefined,
      saveAccount: async (account) => void (settings = { ...settings, ...account }),
    },
  });
  return {
    holder,
    backend,
    drafts,
    get started() {
      return started;
    },
  };
}

const accountOf = (a: Account) => ({ service: a.service, jid: a.jid, password: a.password ?? "" });
let seq = 0;
/** A plain chat message from someone alice never chose: it waits in her requests (F14), and her contacts view changes. */
const im = (from: ReturnType<typeof testEngine>, to: string, body: string) => from.features.chat.send({ to, id: `b${++seq}-${Date.now()}`, body });

/** What a contacts view shows: it reads the list again on every change, as mountContacts does. */
function contactsView(backend: ReturnType<typeof paneLike>["backend"]) {
  const seen: ContactsView[] = [];
  backend.contacts.onChange(
    () =>
      void backend.contacts.list().then(
        (v) => seen.push(v),
        () => undefined,
      ),
  ); // a read during a restart: the next change reads again
  return { requestsFrom: (jid: string) => seen.some((v) => v.requests.some((r) => r.from === jid)) };
}

describe("One account check for both hosts", () => {
  it("no address, or neither password nor kept keys, is a needs-account error with the host's text, decided on its code", () => {
    // no server address is fine: it is found from the domain (XEP-0156)
    expect(requireAccount({ service: "", jid: "alice@example.org", password: "pw" }, "x")).toEqual({
      service: undefined,
      jid: "alice@example.org",
      password: "pw",
      scram: undefined,
    });
    for (const missing of ["jid", "password"] as const) {
      const account = { service: "wss://chat.example.org/xmpp-websocket", jid: "alice@example.org", password: "pw", [missing]: "" };
      let err: unknown;
      try {
        requireAccount(account, "No XMPP account is set up.");
      } catch (e) {
        err = e;
      }
      expect(isProblem(err, "needs-account")).toBe(true);
      expect((err as Error).message).toBe("No XMPP account is set up.");
    }
  });
});

describe("F17 the contacts view follows the engine across restarts", () => {
  it("after new settings restart the engine, a stranger's IM still shows in the open contacts view", async () => {
    const { alice, mallory } = await users("alice", "mallory");
    const pane = paneLike(accountOf(alice));
    await pane.backend.contacts.list(); // the first engine is up, the panel opens on it
    const view = contactsView(pane.backend);
    const first = pane.holder.current;

    await pane.backend.setAccount(accountOf(alice)); // the account form saved: a new engine
    expect(pane.started).toBe(2);
    expect(pane.holder.current).not.toBe(first);

    const m = testEngine(mallory);
    await m.start();
    await im(m, alice.jid, "Cheap watches!");
    await until(() => view.requestsFrom(mallory.jid), "the contacts view to show mallory's request");
  });

  it("a view opened before any account is set up starts updating once the account is given", async () => {
    const { alice, mallory } = await users("alice", "mallory");
    const pane = paneLike();
    const first = await pane.backend.contacts.list().catch((e: unknown) => e);
    expect(isProblem(first, "needs-account")).toBe(true);
    const view = contactsView(pane.backend);

    await pane.backend.setAccount(accountOf(alice));
    const m = testEngine(mallory);
    await m.start();
    await im(m, alice.jid, "Cheap watches!");
    await until(() => view.requestsFrom(mallory.jid), "the contacts view to show mallory's request");
  });
});

describe("Shared host behaviour", () => {
  it("the chat as an email opens a new draft addressed to the person; nobody to write to is said plainly", async () => {
    const { alice, bob } = await users("alice", "bob");
    const pane = paneLike(accountOf(alice));
    await pane.backend.open({ jid: bob.jid });
    await pane.backend.replyByEmail(bob.jid);
    expect(pane.drafts).toEqual([{ draft: expect.objectContaining({ to: [expect.stringContaining(bob.jid.split("@")[0]!)] }), o: { id: `chat:${bob.jid}` } }]);
    await expect(pane.backend.replyByEmail("")).rejects.toMatchObject({ code: "no-recipient" });
  });

  it("a transcript is looked for only where an invitation is: none, no engine needed", async () => {
    const pane = paneLike(); // no account: the engine could not even start
    expect(await pane.backend.transcript(["Hello, the numbers are attached.", 42])).toBeNull();
    expect(() => pane.backend.joinLink("javascript:alert(1)")).toThrow(/not a join page/);
    expect(pane.backend.joinLink("https://addins.example.org/web/join.html#s=1")).toBe("https://addins.example.org/web/join.html#s=1");
  });
});
