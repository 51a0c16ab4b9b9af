// F24/F13: the conversations kept with a person, read from the store for the hosts — which email
// each started from (the IM sent with Reply via IM on it keeps that email in its outbox row), the
// other person's name as their emails give it, and how many IMs followed an email. No host API:
// Thunderbird writes what this gives into a folder; Outlook shows it in the pane.
import { groupConversations, type Conversation, type ConversationOrigin } from "../core/conversations";
import { nameFromHeader, type Exchange, type OutboxItem } from "../core";
import type { Store } from "../store";

/** Most IMs read to rebuild one person's latest conversations. */
const READ_LIMIT = 1000;

const originOfItem = (item: OutboxItem | undefined): ConversationOrigin | undefined =>
  item?.original?.messageId ? { messageId: item.original.messageId, subject: item.original.subject, references: item.original.references } : undefined;

/** The conversations with one person, oldest first, each with the email it started from when there is one. */
export async function conversationsWith(store: Store, counterpart: string, quietMs: number): Promise<Conversation[]> {
  const items = (await store.exchanges.recent(counterpart, { limit: READ_LIMIT })).filter((x) => x.kind === "im");
  const outgoing = await Promise.all(
    items.filter((x) => x.direction === "out").map(async (x) => [x.key, originOfItem(await store.outbox.get(x.key))] as const),
  );
  const origins = new Map(outgoing);
  return groupConversations(counterpart, items, { quietMs, originOf: (x: Exchange) => origins.get(x.key) });
}

/** The person's name as their latest email to the user gives it, else none (the address is shown). */
export async function personName(store: Store, counterpart: string): Promise<string | undefined> {
  const emails = (await store.exchanges.recent(counterpart, { limit: 200 })).filter((x) => x.kind === "email" && x.direction === "in");
  for (const e of emails) {
    const name = nameFromHeader(e.from);
    if (name) return name;
  }
  return undefined;
}

/** F13 both ways: the IMs that followed an email (its Message-ID), with whom; null when none did. */
export async function imsAfterEmail(
  store: Store,
  messageId: string,
  quietMs: number,
): Promise<{ counterpart: string; to: string; count: number; name?: string } | null> {
  const id = messageId.trim().replace(/^<|>$/g, "");
  const sent = (
    await store.outbox.inStates(["sent", "delivered", "sending", "queued", "asked", "unavailable", "failed", "converted", "cancelled", "checking"])
  ).filter((i) => i.original?.messageId?.replace(/^<|>$/g, "") === id);
  const first = sent.sort((a, b) => a.createdAt - b.createdAt)[0];
  if (!first) return null;
  const count = (await conversationsWith(store, first.counterpart, quietMs)).filter((c) => c.origin?.messageId === id).reduce((n, c) => n + c.ims.length, 0);
  return count ? { counterpart: first.counterpart, to: first.to, count, name: await personName(store, first.counterpart) } : null;
}
