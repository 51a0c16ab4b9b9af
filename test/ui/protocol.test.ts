// The one protocol between the Thunderbird pages and the background page (src/ui/protocol.ts):
// the background's dispatcher and the pages' call, joined here by a structured clone as
// runtime messaging does. Unknown commands are refused; errors keep their code.
import { UserFacingError, isProblem } from "../../src/core/errors";
import { caller, composeRequestOf, dispatch, emitter, eventOf, isCommand, listener, type Command, type Event, type Handlers } from "../../src/ui/protocol";

/** Only the handlers a test needs: the full table is the background's (type-checked there). */
function pagesAndBackground(handlers: Partial<Handlers>) {
  const sent: unknown[] = [];
  const call = caller(
    async (msg: Command) => {
      const wire = structuredClone(msg);
      sent.push(wire);
      return structuredClone(isCommand(wire) ? await dispatch(handlers as Handlers, wire) : undefined);
    },
    () => "The add-in's background page is not running: restart Thunderbird.",
  );
  return { call, sent };
}

describe("One host protocol", () => {
  it("a command reaches its handler with its arguments and returns its result", async () => {
    const { call, sent } = pagesAndBackground({ "mapping:correct": async ({ email, jid }) => ({ email, jid, source: "user", needsConfirmation: false }) });
    await expect(call("mapping:correct", { email: "bob@example.org", jid: "bob@chat.example.org" })).resolves.toEqual({
      email: "bob@example.org",
      jid: "bob@chat.example.org",
      source: "user",
      needsConfirmation: false,
    });
    expect(sent).toEqual([{ command: "mapping:correct", email: "bob@example.org", jid: "bob@chat.example.org" }]);
  });

  it("an unknown command is refused with unknown-command, never answered as a success", async () => {
    const reply = await dispatch({} as Handlers, { command: "chat:opne" });
    expect(reply).toEqual({ ok: false, problem: { code: "unknown-command", message: expect.stringContaining('"chat:opne"') } });
    // nor does a name from the object's prototype count as a command
    expect(await dispatch({} as Handlers, { command: "toString" })).toMatchObject({ ok: false, problem: { code: "unknown-command" } });
    const { call } = pagesAndBackground({});
    const err = await call("status").catch((e: unknown) => e);
    expect(isProblem(err, "unknown-command")).toBe(true);
    expect((err as Error).message).toMatch(/Reload the add-in/);
  });

  it("a Problem round-trips with its code and its text: the window decides on the code", async () => {
    const { call } = pagesAndBackground({
      "chat:open": () => {
        throw new UserFacingError("needs-account", "No XMPP account is set up.", "Enter yours below.");
      },
      "contacts:list": () => {
        throw new TypeError("x is undefined");
      },
    });
    const err = await call("chat:open", { jid: "bob@example.org" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserFacingError);
    expect(isProblem(err, "needs-account")).toBe(true);
    expect((err as Error).message).toBe("No XMPP account is set up. Enter yours below.");
    // anything else thrown crosses as "internal", with what failed
    const other = await call("contacts:list").catch((e: unknown) => e);
    expect(isProblem(other, "internal")).toBe(true);
    expect((other as Error).message).toBe("x is undefined");
  });

  it("a page's call is type-checked: a misspelt command or a missing argument does not compile (npm test runs tsc)", async () => {
    const { call } = pagesAndBackground({ "chat:translate": ({ text }) => ({ text: text.toUpperCase() }) });
    // @ts-expect-error — no such command
    await expect(call("chat:opne", {})).rejects.toMatchObject({ code: "unknown-command" });
    // @ts-expect-error — chat:translate needs the text
    await expect(call("chat:translate", {})).rejects.toMatchObject({ code: "internal" });
    const translated: { text: string; problem?: string } | undefined = await call("chat:translate", { text: "hallo" });
    expect(translated).toEqual({ text: "HALLO" });
  });

  it("no background page to answer is a host problem saying what to do", async () => {
    const call = caller(
      async () => undefined,
      (key) => (key === "noBackground" ? "The add-in's background page is not running: restart Thunderbird." : key === "@@ui_locale" ? "en" : ""),
    );
    const err = await call("status").catch((e: unknown) => e);
    expect(isProblem(err, "host")).toBe(true);
    expect((err as Error).message).toMatch(/restart Thunderbird/);
  });

  it("a command from a message display script is answered for its tab", async () => {
    const reply = await dispatch(
      { "mail:im-line": (_: unknown, from: { tabId?: number }) => ({ text: `tab ${from.tabId}`, jid: "bob@example.org" }) } as unknown as Handlers,
      { command: "mail:im-line" },
      { tabId: 7 },
    );
    expect(reply).toEqual({ ok: true, value: { text: "tab 7", jid: "bob@example.org" } });
  });
});

describe("Events, from the background to every page", () => {
  /** The background's emit and one page's listener, joined by a structured clone as runtime messaging is. */
  function backgroundAndPage(on: Parameters<typeof listener>[0]) {
    const hear = listener(on);
    const wire: unknown[] = [];
    const emit = emitter(async (msg) => {
      wire.push(structuredClone(msg));
      return hear(structuredClone(msg));
    });
    return { emit, wire };
  }

  it("each event reaches the handler for its type, with its data; the others are not called", async () => {
    const heard: string[] = [];
    const line = { id: "m1", direction: "in" as const, text: "Hello", at: 1 };
    const { emit, wire } = backgroundAndPage({
      line: (e) => heard.push(`line ${e.with} ${e.line.text}`),
      typing: (e) => heard.push(`typing ${e.with} ${e.state}`),
      contacts: () => heard.push("contacts"),
    });
    await emit("line", { with: "bob@example.org", line });
    await emit("presence", { with: "bob@example.org", available: true }); // this page has no presence handler
    await emit("typing", { with: "bob@example.org", state: "composing" });
    await emit("contacts");
    expect(heard).toEqual(["line bob@example.org Hello", "typing bob@example.org composing", "contacts"]);
    expect(wire[0]).toEqual({ event: { type: "line", with: "bob@example.org", line } });
  });

  it("a message that is not an event of the table is not heard: a command, a misspelt type, a field of the wrong kind", () => {
    expect(eventOf({ command: "status" })).toBeUndefined();
    expect(eventOf({ event: { type: "presense", with: "bob@example.org", available: true } })).toBeUndefined();
    expect(eventOf({ event: { type: "presence", with: "bob@example.org", available: "yes" } })).toBeUndefined();
    expect(eventOf({ event: { type: "typing", with: "bob@example.org", state: "shouting" } })).toBeUndefined();
    expect(eventOf({ event: { type: "line", with: "bob@example.org", line: { id: 1, text: "x" } } })).toBeUndefined();
    expect(eventOf({ event: { type: "presence", available: true } })).toBeUndefined(); // whose presence?
    expect(eventOf(null)).toBeUndefined();
    const ok: Event | undefined = eventOf({ event: { type: "presence", with: "bob@example.org", available: false, extra: "dropped" } });
    expect(ok).toEqual({ type: "presence", with: "bob@example.org", available: false });
  });

  it("an emit is type-checked: a misspelt event or missing data does not compile (npm test runs tsc); no page to hear it is fine", async () => {
    const emit = emitter(() => Promise.reject(new Error("Could not establish connection. Receiving end does not exist.")));
    await expect(emit("contacts")).resolves.toBeUndefined();
    // @ts-expect-error — no such event
    await emit("presense", { with: "bob@example.org", available: true });
    // @ts-expect-error — presence needs whether they are available
    await emit("presence", { with: "bob@example.org" });
  });

  it("the draft's editor takes only an insert request with its HTML", () => {
    expect(composeRequestOf({ compose: "insert", html: "<p>Join</p>" })).toEqual({ compose: "insert", html: "<p>Join</p>" });
    expect(composeRequestOf({ insertInvitation: "<p>Join</p>" })).toBeUndefined();
    expect(composeRequestOf({ compose: "insert", html: 3 })).toBeUndefined();
    expect(composeRequestOf({ event: { type: "contacts" } })).toBeUndefined();
  });
});
