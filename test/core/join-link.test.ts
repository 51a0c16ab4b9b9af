// F10 "an invitation never carries a link that cannot work": with no join page set up (the
// default) the invitation has the xmpp: link and no web link; a join page that does not answer
// is found out before the invitation is made; the old localhost default counts as not set up.
import { createServer } from "node:https";
import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { invitationHtml, invitationText, mergeSettings, DEFAULT_SETTINGS } from "../../src/core";
import { checkJoinPage } from "../../src/engine/host-backend";
import { server } from "../kit/xmpp";

const uri = "xmpp:0b6f7c52-8f1a-4c7e-9a55-2f0c3d9e1a11@conference.example.org?join";

describe("an invitation with no join page set up", () => {
  it("offers the xmpp: link only — no web link, and says where it works", () => {
    const c = { uri, inviter: "alice@example.org", subject: "Budget" };
    const html = invitationHtml(c);
    expect(html).toContain(`href="${uri}"`);
    expect(html).toContain("In an XMPP app");
    expect(html).not.toContain("In a browser");
    expect(html).not.toMatch(/https?:/);
    expect(invitationText(c)).toBe(`Join the live chat about "Budget": ${uri} (in an XMPP app) — from alice@example.org`);
  });
  it("with a join page, both ways in", () => {
    const link = "https://addins.example.org/web/join.html#s=x";
    const html = invitationHtml({ link, uri, inviter: "alice@example.org" });
    expect(html).toContain(`In a browser: <a href="${link}">`);
    expect(html).toContain(`In an XMPP app: <a href="${uri}">`);
  });
});

describe("the join page setting", () => {
  it("is not set up by default, and the old localhost default reads as not set up", () => {
    expect(DEFAULT_SETTINGS.joinPage).toBe("");
    expect(mergeSettings({ joinPage: "https://localhost:3000/web/join.html" }, {}).settings.joinPage).toBe("");
    expect(mergeSettings({ joinPage: "https://im.example.org/web/join.html" }, {}).settings.joinPage).toBe("https://im.example.org/web/join.html");
    expect(mergeSettings({ joinPage: "http://im.example.org/join.html" }, {}).settings.joinPage).toBe(""); // https only
  });
});

describe("checking the join page before an invitation carries it", () => {
  it("a page that answers is ok; a dead address is unreachable; none is not-set", async () => {
    const tls = server().tls!;
    const page = createServer({ cert: await readFile(tls.cert), key: await readFile(tls.key) }, (_req, res) =>
      res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html>"),
    );
    await new Promise<void>((ok) => page.listen(0, "127.0.0.1", ok));
    try {
      const port = (page.address() as AddressInfo).port;
      expect(await checkJoinPage(`https://localhost:${port}/web/join.html`)).toBe("ok");
    } finally {
      await new Promise((done) => page.close(done));
    }
    // a port nobody listens on: the one just closed
    const dead = createServer();
    await new Promise<void>((ok) => dead.listen(0, "127.0.0.1", ok));
    const deadPort = (dead.address() as AddressInfo).port;
    await new Promise((done) => dead.close(done));
    expect(await checkJoinPage(`https://localhost:${deadPort}/web/join.html`)).toBe("unreachable");
    expect(await checkJoinPage("")).toBe("not-set");
  });
});
