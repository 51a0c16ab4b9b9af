// F26 a person's published picture: what they put in their vCard (vcard-temp) is read by someone
// else, kept, and shown by the IM window the next time; bad or huge pictures are no picture. On both servers.
import { xml } from "@xmpp/client";
import { openChatContext } from "../../src/engine/im-window";
import { avatarUrl, MAX_AVATAR_BYTES } from "../../src/xmpp/avatar";
import { stopEngines, testEngine } from "../kit/engine";
import { loginAs, logoutAll, servers, usersOn } from "../kit/xmpp";

afterEach(async () => {
  await stopEngines();
  await logoutAll();
});

// a 1×1 PNG
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

describe("a picture only when it is one", () => {
  it("takes small PNG/JPEG/GIF/WebP; refuses other types, broken base64 and anything over the size", () => {
    expect(avatarUrl("image/png", `${PNG.slice(0, 20)}\n${PNG.slice(20)}`)).toBe(`data:image/png;base64,${PNG}`);
    expect(avatarUrl("image/svg+xml", PNG)).toBeUndefined(); // SVG can carry script
    expect(avatarUrl("text/html", PNG)).toBeUndefined();
    expect(avatarUrl("image/png", "not base64!")).toBeUndefined();
    expect(avatarUrl("image/png", "A".repeat(Math.ceil((MAX_AVATAR_BYTES * 4) / 3) + 8))).toBeUndefined();
  });
});

describe.each(servers())("a published picture, on %s", (_name, info) => {
  it("bob's vCard photo is read by alice, kept, and the IM window has it", async () => {
    const { alice, bob } = await usersOn(info, "alice", "bob");
    const b = await loginAs(bob);
    await b.xmpp.iqCaller.set(
      xml("vCard", { xmlns: "vcard-temp" }, xml("FN", {}, "Bob Builder"), xml("PHOTO", {}, xml("TYPE", {}, "image/png"), xml("BINVAL", {}, PNG))),
    );
    const a = testEngine(alice);
    await a.start();
    expect(await a.avatars.cached(bob.jid)).toBeUndefined();
    expect(await a.avatars.refresh(bob.jid)).toBe(`data:image/png;base64,${PNG}`);
    const ctx = await openChatContext(a, { jid: bob.jid });
    expect(ctx.to.avatar).toBe(`data:image/png;base64,${PNG}`);
  });

  it("someone with no picture has none (and the window opens without waiting for it)", async () => {
    const { alice, carol } = await usersOn(info, "alice", "carol");
    const a = testEngine(alice);
    await a.start();
    expect(await a.avatars.refresh(carol.jid)).toBeUndefined();
    expect((await openChatContext(a, { jid: carol.jid })).to.avatar).toBeUndefined();
  });
});
