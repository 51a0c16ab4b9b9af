// Minimal typings for the parts of xmpp.js 0.14 we use (the packages ship none).
declare module "@xmpp/jid" {
  export interface JID {
    local: string;
    domain: string;
    resource: string;
    bare(): JID;
    toString(): string;
    equals(other: JID): boolean;
  }
  export function parse(s: string): JID;
  export function jid(s: string): JID;
  const j: { (s: string): JID; parse: typeof parse };
  export default j;
}

declare module "@xmpp/xml" {
  export interface Element {
    name: string;
    attrs: Record<string, string | undefined>;
    children: (Element | string)[];
    parent?: Element;
    getChild(name: string, xmlns?: string): Element | undefined;
    getChildren(name: string, xmlns?: string): Element[];
    getChildText(name: string, xmlns?: string): string | null;
    getChildElements(): Element[];
    getText(): string;
    text(): string;
    is(name: string, xmlns?: string): boolean;
    append(...children: (Element | string)[]): Element;
    c(name: string, attrs?: Record<string, string | undefined>): Element;
    toString(): string;
  }
  type Child = Element | string | undefined | null | false | Child[];
  function xml(name: string, attrs?: Record<string, string | number | undefined> | null, ...children: Child[]): Element;
  namespace xml {
    export type Element = import("@xmpp/xml").Element;
  }
  export default xml;
  export { xml };
}

declare module "@xmpp/client" {
  import type { Element } from "@xmpp/xml";
  import type { JID } from "@xmpp/jid";
  export { default as xml } from "@xmpp/xml";
  export interface Credentials {
    username?: string;
    password?: string;
  }
  export interface ClientOptions {
    service: string;
    domain?: string;
    resource?: string;
    username?: string;
    password?: string;
    lang?: string;
    credentials?: (auth: (creds: Credentials, mechanism?: string, userAgent?: unknown) => Promise<void>, mechanisms: string[], fast?: unknown) => Promise<void>;
  }
  export interface IqCaller {
    request(stanza: Element, timeout?: number): Promise<Element>;
    get(child: Element, to?: string, timeout?: number): Promise<Element>;
    set(child: Element, to?: string, timeout?: number): Promise<Element>;
  }
  export interface IqCallee {
    get(ns: string, name: string, handler: (ctx: { stanza: Element; element: Element; from: JID }) => unknown): void;
    set(ns: string, name: string, handler: (ctx: { stanza: Element; element: Element; from: JID }) => unknown): void;
  }
  export interface Client {
    jid: JID | null;
    status: string;
    options: ClientOptions;
    iqCaller: IqCaller;
    iqCallee: IqCallee;
    reconnect: { delay: number; stop(): void; start(): void; reconnect(): Promise<void>; on(ev: string, fn: (...a: unknown[]) => void): void };
    streamManagement: {
      enabled: boolean;
      id: string;
      outbound: number;
      inbound: number;
      on(ev: string, fn: (...a: never[]) => void): void;
      once(ev: string, fn: (...a: never[]) => void): void;
      off?(ev: string, fn: (...a: never[]) => void): void;
    };
    middleware: unknown;
    start(): Promise<JID>;
    stop(): Promise<void>;
    send(...elements: Element[]): Promise<void>;
    sendMany(elements: Element[]): Promise<void>;
    write(s: string): Promise<void>;
    disconnect(timeout?: number): Promise<void>;
    // `never[]`: any listener fits, and each names the types it receives, e.g. `(st: Element) => …`.
    on(event: string, fn: (...args: never[]) => void): this;
    once(event: string, fn: (...args: never[]) => void): this;
    off(event: string, fn: (...args: never[]) => void): this;
    removeListener(event: string, fn: (...args: never[]) => void): this;
    removeAllListeners(event?: string): this;
  }
  export function client(options: ClientOptions): Client;
  export { jid } from "@xmpp/jid";
}

declare module "@xmpp/websocket/lib/Socket.js" {
  const Socket: { prototype: unknown };
  export default Socket;
}

declare module "@xmpp/xml/lib/parse.js" {
  import type { Element } from "@xmpp/xml";
  /** Parses one XML document (ltx, as xmpp.js reads stanzas). Throws on malformed XML. */
  export default function parse(data: string): Element;
}
