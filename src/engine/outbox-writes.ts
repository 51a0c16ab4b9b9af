// How the engine writes an IM's outbox row: each IM's writes go to the store one after another,
// in the order asked (a write behind and a durable one never overtake each other), and `live`
// holds in memory the IMs being sent, whose ack and receipt are shown before they are stored.
import type { OutboxStore } from "../core/ports";
import type { OutboxItem } from "../core/schemas";

type Change = (i: OutboxItem) => OutboxItem | undefined;

export function outboxWrites(store: OutboxStore, emitState: (item: OutboxItem | undefined) => void) {
  const writes = new Map<string, Promise<unknown>>();
  const live = new Map<string, OutboxItem>();

  function write(id: string, change: Change): Promise<OutboxItem | undefined> {
    const next = (writes.get(id) ?? Promise.resolve()).then(() => store.update(id, change));
    const settled = next.then(
      () => undefined,
      () => undefined, // the failure is the caller's (awaited, or reported by the background task)
    );
    writes.set(id, settled);
    void settled.then(() => writes.get(id) === settled && writes.delete(id));
    return next;
  }

  return {
    live,
    /** The writes still under way, by IM id (each resolves once that IM's writes so far are done). */
    writes,
    /** A durable change: stored, then shown. */
    update: async (id: string, change: Change): Promise<OutboxItem | undefined> => {
      const next = await write(id, change);
      if (next && live.has(id)) live.set(id, next);
      emitState(next);
      return next;
    },
    /**
     * A change the user sees at once, from memory, that the store learns right behind it (an IM
     * being sent: its ack and its receipt). Exactly-once does not rest on these writes: the IM's
     * row was stored before it went out, and an ack or a receipt written late changes nothing.
     */
    behind: (id: string, change: Change): Promise<OutboxItem | undefined> => {
      const mem = live.get(id);
      const shown = mem && change(mem);
      if (shown) {
        live.set(id, shown);
        emitState(shown);
      }
      return write(id, change).then((stored) => {
        if (stored && stored.state !== shown?.state) emitState(stored); // the store knew better: that is shown
        return stored;
      });
    },
  };
}
