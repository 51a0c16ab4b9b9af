// Node 20 has no global WebSocket; xmpp.js's WebSocket transport needs one. (Pages have it.)
import { WebSocket } from "ws";

if (typeof (globalThis as { WebSocket?: unknown }).WebSocket === "undefined") {
  (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
}
