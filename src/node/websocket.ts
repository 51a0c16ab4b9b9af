// Node 20 has no global WebSocket, which xmpp.js's transport expects: install `ws` in its place.
// Unlike a browser's, a `ws` socket throws when it emits "error" with nobody listening — which
// happens when xmpp.js detaches its listeners (stop, or a reconnect) while a connection attempt
// is still failing. A no-op listener keeps that from crashing the process; xmpp.js still sees
// the error through its own listeners while they are attached.
import { WebSocket as WsWebSocket } from "ws";

class QuietWebSocket extends WsWebSocket {
  constructor(...args: ConstructorParameters<typeof WsWebSocket>) {
    super(...args);
    this.on("error", () => {});
  }
}

export function installWebSocket(): void {
  const g = globalThis as { WebSocket?: unknown };
  if (typeof g.WebSocket === "undefined") g.WebSocket = QuietWebSocket;
}
