// What every part of the engine is given, explicitly (xmpp.js's factories are the model): the
// store, the clock, the user, the events, the usage counter, the mapper, and the connection's
// features while there is one. The wiring file (engine.ts) makes one and hands it to each part.
import {
  createMapper,
  createPeople,
  normaliseEmail,
  readCard,
  systemClock,
  UserFacingError,
  type Clock,
  type Mapper,
  type People,
  type UsageCounter,
} from "../core";
import type { Emitter } from "../core/emitter";
import type { Store } from "../store";
import type { carbons } from "../xmpp/carbons";
import type { chat } from "../xmpp/chat";
import type { Connection } from "../xmpp/connection";
import type { disco, ServerSupport } from "../xmpp/disco";
import { bareOf } from "../xmpp/jids";
import type { mam } from "../xmpp/mam";
import type { muc } from "../xmpp/muc";
import type { presence } from "../xmpp/presence";
import type { receipts } from "../xmpp/receipts";
import type { EngineOptions, Events } from "./types";

export interface Features {
  presence: ReturnType<typeof presence>;
  chat: ReturnType<typeof chat>;
  receipts: ReturnType<typeof receipts>;
  mam: ReturnType<typeof mam>;
  disco: ReturnType<typeof disco>;
  muc: ReturnType<typeof muc>;
  carbons: ReturnType<typeof carbons>;
}

/** The connection and what it offers, while connected. */
export interface Online {
  conn: Connection;
  features: Features;
  support: ServerSupport;
}

export interface EngineContext {
  options: EngineOptions;
  store: Store;
  clock: Clock;
  /** The user's own email address. */
  me: string;
  events: Emitter<Events>;
  mapper: Mapper;
  /** People's names (F26): learned from email headers, read from the address book and the roster. */
  people: People;
  /** Counts a usage figure (F22); never fails the action it counts. */
  count(name: UsageCounter, n?: number): void;
  /** The connection, or undefined while not connected. */
  online(): Online | undefined;
  /** The connection, or a "not-connected" error the UI knows. */
  need(): Online;
  /** The person key of a JID: their email address when known, else the JID as an address. */
  counterpartOf(jid: string): Promise<string>;
  /** Reports a failure of background work (nobody awaits it) without losing it. */
  report(where: string, err: unknown): void;
}

export function createContext(options: EngineOptions, events: Emitter<Events>, count: EngineContext["count"], online: () => Online | undefined): EngineContext {
  const { store } = options;
  const clock = options.clock ?? systemClock;
  const mapper = createMapper({ store: store.mappings, clock, ...options.lookups });
  const cards = options.lookups?.cards;
  const people = createPeople({
    store: store.state,
    cardName:
      cards &&
      (async (email) => {
        for (const card of await cards(email)) {
          const read = await readCard(card);
          if (read.name && read.emails.includes(email)) return read.name;
        }
        return undefined;
      }),
    rosterName: (jid) => online()?.features.presence.rosterItem(bareOf(jid))?.name,
  });
  return {
    options,
    store,
    clock,
    events,
    mapper,
    people,
    count,
    online,
    me: normaliseEmail(options.me),
    need() {
      const o = online();
      if (!o)
        throw new UserFacingError("not-connected", "Not connected to the XMPP server.", "Check the XMPP account in the add-in's settings, and the network.");
      return o;
    },
    async counterpartOf(jid: string) {
      try {
        return (await mapper.reverse(jid)).email;
      } catch {
        // a JID that is no email address (a domain-only or odd local part): the JID names the person
        return `xmpp:${bareOf(jid)}`;
      }
    },
    report(where, err) {
      console.warn(`Reply via IM: ${where}:`, err instanceof Error ? err.message : err);
      events.emit("problem", where, err);
    },
  };
}

/** An email's address as the person key; an address that does not parse stays as written. */
export function counterpartForEmail(address: string): string {
  try {
    return normaliseEmail(address);
  } catch {
    return address; // a malformed From still names someone: kept as written, never matched to a person
  }
}
