// What the join page asks of its host (src/hosts/web/room.ts): a room of a session, entered as a
// guest or with the person's own account. The page draws; the host speaks XMPP.
import type { Invitation } from "../../core/invitations";

/** One message said in the room. */
export interface RoomLine {
  /** The occupant's nick. */
  who: string;
  body: string;
  at: number;
  /** The same key live and from the archive, so a message in both is shown once. */
  key?: string;
}

export interface RoomRequest {
  /** The XMPP server's WebSocket. */
  service: string;
  inv: Invitation;
  nick: string;
  /** The person's own account; without it, a guest of `guestDomain`. */
  account?: { jid: string; password: string };
  guestDomain: string;
  /** The room's password, when it has one. */
  password?: string;
  /** Heard from before the join, so no message or arrival in between is missed. */
  onMessage: (line: RoomLine) => void;
  onOccupant: (nick: string, present: boolean) => void;
}

export interface RoomSession {
  /** The room's history (its archive), oldest first; empty when it cannot be read (the room still works live). */
  history: RoomLine[];
  /** The nicks in the room now. */
  occupants(): string[];
  send(body: string): Promise<void>;
  /** Leaves the room and logs out; never fails (the page is left either way). */
  leave(): Promise<void>;
}

/**
 * Enters the room: a session that ended (no such room) is a "room-gone" problem, a wrong or
 * missing room password "room-password" (src/xmpp/muc.ts MucError); nothing is left open then.
 */
export type OpenRoom = (request: RoomRequest) => Promise<RoomSession>;
