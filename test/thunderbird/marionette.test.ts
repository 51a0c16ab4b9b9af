// The Marionette client that drives real Thunderbird (scripts/lib/marionette.ts), against a small
// local server speaking Marionette's framing (`LENGTH:JSON`): when Thunderbird's socket drops, the
// command in flight and every later one fail at once with a clear error, instead of hanging the
// test until its timeout.
import net from "node:net";
import { connectMarionette, type Marionette } from "../../scripts/lib/marionette";

type Command = [0, number, string, Record<string, unknown>];
const frame = (v: unknown) => {
  const s = JSON.stringify(v);
  return `${Buffer.byteLength(s)}:${s}`;
};

/** A server that greets like Marionette and lets the test answer or drop each command. */
async function fakeMarionette(onCommand: (cmd: Command, sock: net.Socket) => void) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on("close", () => sockets.delete(sock));
    sock.on("error", () => {}); // the client going away mid-test is what these tests do
    sock.write(frame({ applicationType: "gecko", marionetteProtocol: 3 }));
    let buf = Buffer.alloc(0);
    sock.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      for (let i = buf.indexOf(":"); i >= 0; i = buf.indexOf(":")) {
        const len = Number(buf.subarray(0, i).toString());
        if (buf.length < i + 1 + len) return;
        const cmd = JSON.parse(buf.subarray(i + 1, i + 1 + len).toString()) as Command;
        buf = buf.subarray(i + 1 + len);
        onCommand(cmd, sock);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

let server: Awaited<ReturnType<typeof fakeMarionette>> | undefined;
let client: Marionette | undefined;
afterEach(async () => {
  client?.close();
  client = undefined;
  await server?.close();
  server = undefined;
});

/** Answers the session handshake, then does `drop` to the socket on the first script. */
const dropOnScript = (drop: (sock: net.Socket) => void) => (cmd: Command, sock: net.Socket) => {
  if (cmd[2] === "WebDriver:NewSession") sock.write(frame([1, cmd[1], null, { sessionId: "s1", capabilities: {} }]));
  else if (cmd[2] === "Marionette:SetContext") sock.write(frame([1, cmd[1], null, { value: null }]));
  else drop(sock);
};
const script = { script: "arguments[0]()", args: [], scriptTimeout: 60_000 };

describe("Marionette client (drives real Thunderbird)", () => {
  it("answers commands and passes Marionette's errors on", async () => {
    server = await fakeMarionette((cmd, sock) => {
      if (cmd[2] === "WebDriver:NewSession") sock.write(frame([1, cmd[1], null, { sessionId: "s1" }]));
      else sock.write(frame([1, cmd[1], { error: "javascript error", message: "boom" }, null]));
    });
    client = await connectMarionette(server.port);
    await expect(client.send("WebDriver:NewSession", { capabilities: {} })).resolves.toEqual({ sessionId: "s1" });
    await expect(client.send("WebDriver:ExecuteAsyncScript", script)).rejects.toThrow(/javascript error.*boom/);
  });

  it("when Thunderbird closes the connection mid-command, the command rejects at once, and so does every later one", async () => {
    server = await fakeMarionette(dropOnScript((sock) => sock.end()));
    client = await connectMarionette(server.port);
    await client.send("WebDriver:NewSession", { capabilities: {} });
    await client.send("Marionette:SetContext", { value: "chrome" });
    const err = await client.send("WebDriver:ExecuteAsyncScript", script).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/^Marionette connection to Thunderbird closed: .*WebDriver:ExecuteAsyncScript/);
    await expect(client.send("WebDriver:ExecuteAsyncScript", script)).rejects.toThrow(/^Marionette connection to Thunderbird closed: /);
  }, 5_000);

  it("when the connection is reset mid-command, every pending command rejects with the socket's error", async () => {
    server = await fakeMarionette(dropOnScript((sock) => sock.resetAndDestroy()));
    client = await connectMarionette(server.port);
    await client.send("WebDriver:NewSession", { capabilities: {} });
    const both = [client.send("WebDriver:ExecuteAsyncScript", script), client.send("WebDriver:ExecuteAsyncScript", script)];
    const results = await Promise.allSettled(both);
    for (const r of results) {
      expect(r.status).toBe("rejected");
      expect(r.status === "rejected" && (r.reason as Error).message).toMatch(
        /^Marionette connection to Thunderbird closed: .*ECONNRESET.*Thunderbird quit or crashed/,
      );
    }
  }, 5_000);

  it("when the connection closes before Marionette's greeting, connecting fails instead of waiting", async () => {
    const silent = net.createServer((sock) => sock.end());
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    try {
      const { port } = silent.address() as net.AddressInfo;
      await expect(connectMarionette(port)).rejects.toThrow(/^Marionette connection to Thunderbird closed: .*before its greeting/);
    } finally {
      await new Promise<void>((r) => silent.close(() => r()));
    }
  }, 5_000);
});
