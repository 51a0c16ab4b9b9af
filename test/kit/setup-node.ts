// Node 20 has no global WebSocket; xmpp.js's WebSocket transport needs one. (Pages have it.)
import { installWebSocket } from "../../src/node/websocket";

installWebSocket();
