// The delivery of one IM as a pure state machine (F5–F7). The outbox and the engine move an
// IM only through `advance`, so an impossible move (a cancelled IM being sent, a delivered
// one going back to the queue) is an error instead of a silent duplicate.
import { UserFacingError } from "./errors";
import type { DeliveryState, OutboxItem } from "./schemas";

export type DeliveryEvent =
  | { type: "check" } // presence is being checked
  | { type: "available" } // the contact is online: send
  | { type: "unavailable" } // the contact is offline
  | { type: "ask" } // the three choices are shown to the user
  | { type: "keep" } // F6(a): keep and retry
  | { type: "cancel" } // F6(b)
  | { type: "convert" } // F6(c): became an email
  | { type: "retry" } // the outbox starts another attempt
  | { type: "acked" } // the server took it (XEP-0198 ack)
  | { type: "receipt" } // the contact's client confirmed it (XEP-0184)
  | { type: "fail"; reason: string; code?: string }; // an error, or the outbox gave up; the code a page says it by

type Table = Partial<Record<DeliveryState, Partial<Record<DeliveryEvent["type"], DeliveryState>>>>;

const TABLE: Table = {
  composing: { check: "checking", cancel: "cancelled" },
  checking: { available: "sending", unavailable: "unavailable", fail: "failed" },
  unavailable: { ask: "asked", keep: "queued", cancel: "cancelled", convert: "converted" },
  // receipt: a late confirmation of an IM sent while their presence was unknown settles it
  asked: { keep: "queued", cancel: "cancelled", convert: "converted", receipt: "delivered" },
  queued: { retry: "sending", cancel: "cancelled", convert: "converted", fail: "failed", receipt: "delivered" },
  sending: { acked: "sent", receipt: "delivered", unavailable: "queued", fail: "failed" },
  // keep: the stream was lost before a receipt came, so the server may have lost it too
  // ask: sent while their presence was unknown and not confirmed in time — the choices are offered;
  // fail: their server answered with an error (no such user, refused)
  sent: { receipt: "delivered", retry: "sending", keep: "queued", ask: "asked", fail: "failed" },
  failed: { keep: "queued", convert: "converted", cancel: "cancelled", receipt: "delivered" },
};

/** States from which nothing more happens to the IM. */
export const FINAL_STATES: readonly DeliveryState[] = ["delivered", "cancelled", "converted"];

export function canAdvance(state: DeliveryState, event: DeliveryEvent["type"]): boolean {
  return TABLE[state]?.[event] !== undefined;
}

export function nextState(state: DeliveryState, event: DeliveryEvent): DeliveryState {
  const next = TABLE[state]?.[event.type];
  if (!next) {
    throw new UserFacingError(
      "invalid-transition",
      `An IM that is ${state} cannot be moved by "${event.type}".`,
      "Reload the IM window; the message's real state is kept.",
    );
  }
  return next;
}

/** The item after the event, with the transition recorded (for the window and for audits). */
export function advance(item: OutboxItem, event: DeliveryEvent, at: number): OutboxItem {
  const state = nextState(item.state, event);
  const reason = event.type === "fail" ? event.reason : undefined;
  const reasonCode = event.type === "fail" && state === "failed" ? event.code : undefined;
  const { reasonCode: _old, ...rest } = item; // a code says why it failed, and only while it has
  return {
    ...rest,
    ...(reasonCode ? { reasonCode } : {}),
    state,
    reason: state === "failed" ? reason : undefined,
    transitions: [...item.transitions, reason ? { state, at, reason } : { state, at }],
  };
}
