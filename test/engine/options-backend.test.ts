// What the Options view asks of either host (src/engine/options-backend.ts): the address table
// and its Forget, the usage export, and the account test against the run's real Prosody — a
// wrong password and a server address that is not one are said as such, the right one is usable.
import { DEFAULT_SETTINGS, isProblem } from "../../src/core";
import { discoveryOf, optionsBackend } from "../../src/engine/options-backend";
import { freshStore } from "../kit/store";
import { users } from "../kit/xmpp";

describe("the Options view's backend, the same in both hosts", () => {
  it("lists the address table, forgets a mapping by its email address however it is written, and exports the usage figures", async () => {
    const store = freshStore();
    const options = optionsBackend({ store, settings: async () => DEFAULT_SETTINGS });
    await store.mappings.put({ email: "bob@example.org", jid: "bob@chat.example.org", source: "user", confidence: 1, updatedAt: 1 });
    await store.usage.add("imsSent", 3);
    const data = await options.data();
    expect(data.mappings).toEqual([{ email: "bob@example.org", jid: "bob@chat.example.org", source: "user" }]);
    expect(data.usage.imsSent).toBe(3);
    await options.forgetMapping("  Bob@Example.org ");
    expect((await options.data()).mappings).toEqual([]);
    expect((await options.exportUsage()).split("\n").find((l) => l.startsWith("imsSent,"))).toMatch(/^imsSent,3,\d{4}-\d\d-\d\dT/);
  });

  it("tests an account on the real server: it logs in with the right password, refused with a wrong one, and a server address that is not one is said before anything is sent", async () => {
    const { alice } = await users("alice");
    const options = optionsBackend({ store: freshStore(), settings: async () => DEFAULT_SETTINGS });
    const good = await options.testAccount({ service: alice.service, jid: alice.jid, password: alice.password! }, "options-test");
    expect([good.endpoint, good.jid, typeof good.mechanism]).toEqual([{ service: alice.service, how: "given" }, `${alice.jid}/options-test`, "string"]);
    const refused = await options
      .testAccount({ service: alice.service, jid: alice.jid, password: "not-the-password" }, "options-test")
      .catch((e: unknown) => e);
    expect(isProblem(refused, "wrong-password")).toBe(true);
    const bad = await options.testAccount({ service: "chat.example.org", jid: alice.jid, password: "x" }, "options-test").catch((e: unknown) => e);
    expect(isProblem(bad, "bad-service")).toBe(true);
  });

  it("reads host-meta where IT says when it set an origin, and from the domain otherwise", () => {
    expect(discoveryOf({ ...DEFAULT_SETTINGS, hostMetaOrigin: "https://it.example.org" })).toEqual({ origin: "https://it.example.org" });
    expect(discoveryOf(DEFAULT_SETTINGS)).toBeUndefined();
  });
});
