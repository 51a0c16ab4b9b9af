// The engine's public face for Node (CLI, tests) and pages: core, store and XMPP together.
export * from "../core";
export { openStore, type Store, type StoreOptions } from "../store";
export { connect, checkService, ConnectionError, type Account, type Connection } from "../xmpp/connection";
export { createEngine, MAX_MESSAGE_BYTES, type Engine, type EngineOptions, type Outcome, type Choice, type IncomingIm, type ReplyOptions } from "./engine";
