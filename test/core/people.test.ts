// F26: people by name — the header's name first, then the address book, then the roster; the
// avatar's initials and colour.
import { colourSlot, createPeople, initials, nameFromHeader } from "../../src/core/people";
import { openChatContext } from "../../src/engine/im-window";
import { stopEngines, testEngine } from "../kit/engine";
import { users } from "../kit/xmpp";

describe("a header's name", () => {
  it.each([
    ["Bob Builder <bob@example.org>", "Bob Builder"],
    ['"Builder, Bob" <bob@example.org>', "Builder, Bob"],
    ['"Bob \\"the\\" Builder" <bob@example.org>', 'Bob "the" Builder'],
    ["bob@example.org", undefined],
    ["<bob@example.org>", undefined],
    ["bob@example.org <bob@example.org>", undefined],
    ["Evil\u202Egnp.exe <e@example.org>", "Evilgnp.exe"],
  ])("%s → %s", (header, name) => expect(nameFromHeader(header)).toBe(name));
});

describe("an avatar without a picture", () => {
  it("shows up to two initials, one for scripts without case", () => {
    expect(initials("Bob Builder")).toBe("BB");
    expect(initials("Anne-Marie van der Berg")).toBe("AB");
    expect(initials("bob.builder@example.org")).toBe("BB");
    expect(initials("carol@example.org")).toBe("C");
    expect(initials("张 伟")).toBe("张");
    expect(initials("!!!")).toBe("?");
  });
  it("keeps one colour per person, whatever the case of the address", () => {
    expect(colourSlot("Bob@Example.org")).toBe(colourSlot("bob@example.org"));
    const slots = new Set(["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"].map((n) => colourSlot(`${n}@example.org`)));
    expect(slots.size).toBeGreaterThan(3); // spread, not all one colour
  });
});

describe("which name wins", () => {
  const meta = () => {
    const rows = new Map<string, unknown>();
    return { get: async <T>(k: string) => rows.get(k) as T | undefined, set: async (k: string, v: unknown) => void rows.set(k, v) };
  };
  it("the header's name beats the address book and the roster; the address book beats the roster", async () => {
    let card: string | undefined = "Robert Builder";
    const people = createPeople({ store: meta(), cardName: async () => card, rosterName: () => "bobby" });
    expect(await people.nameOf({ email: "bob@example.org", jid: "bob@xmpp.example.org" })).toEqual({ name: "Robert Builder", source: "addressbook" });
    card = undefined;
    expect(await people.nameOf({ email: "bob@example.org", jid: "bob@xmpp.example.org" })).toEqual({ name: "bobby", source: "roster" });
    await people.learn("Bob@Example.org", "Bob Builder", "email");
    card = "Robert Builder";
    expect(await people.nameOf({ email: "bob@example.org" })).toEqual({ name: "Bob Builder", source: "email" });
    await people.learn("bob@example.org", "Bobby the nick", "nickname"); // a weaker source never overwrites
    expect((await people.nameOf({ email: "bob@example.org" }))?.name).toBe("Bob Builder");
  });
  it("the newest email's name wins, whatever order the emails are read in", async () => {
    const people = createPeople({ store: meta() });
    await people.learn("bob@example.org", "Bob Builder", "email", Date.UTC(2026, 10, 2));
    await people.learn("bob@example.org", "Bob", "email", Date.UTC(2026, 9, 26)); // an older email read later
    expect((await people.nameOf({ email: "bob@example.org" }))?.name).toBe("Bob Builder");
    await people.learn("bob@example.org", "Robert Builder", "email", Date.UTC(2026, 10, 20));
    expect((await people.nameOf({ email: "bob@example.org" }))?.name).toBe("Robert Builder");
  });
  it("nobody named: no name, and the caller shows the address", async () => {
    const people = createPeople({ store: meta() });
    expect(await people.nameOf({ email: "x@example.org", jid: "x@example.org" })).toBeUndefined();
    await people.learn("not an address", "Someone", "email"); // names nobody we could find again
  });
});

describe("the IM window names the person", () => {
  afterEach(stopEngines);
  it("from the email's From header, and keeps the name for later chats opened on the person", async () => {
    const { alice, bob } = await users("alice", "bob");
    const e = testEngine(alice);
    await e.start();
    const mail = {
      messageId: "<m1@example.org>",
      from: `Bob Builder <${bob.jid}>`,
      to: [alice.jid],
      subject: "Budget",
      date: Date.UTC(2026, 10, 1),
      text: "Numbers attached.",
    };
    const onMail = await openChatContext(e, { mail });
    expect(onMail.to).toMatchObject({ email: bob.jid, jid: bob.jid, name: "Bob Builder" });
    expect(onMail.history.find((h) => h.kind === "email")).toMatchObject({ fromName: "Bob Builder", from: `Bob Builder <${bob.jid}>` });
    const onPerson = await openChatContext(e, { jid: bob.jid });
    expect(onPerson.to.name).toBe("Bob Builder");
  });
});
