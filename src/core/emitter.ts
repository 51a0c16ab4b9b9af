// A tiny typed event emitter that runs the same in Node and in pages (the engine's events and
// the XMPP features' listeners).
type Listener = (...args: any[]) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

export class Emitter<E extends Record<string, unknown[]>> {
  private listeners = new Map<keyof E, Set<Listener>>();
  on<K extends keyof E>(event: K, fn: (...args: E[K]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set<Listener>();
    set.add(fn);
    this.listeners.set(event, set);
    return () => void set.delete(fn);
  }
  emit<K extends keyof E>(event: K, ...args: E[K]): void {
    for (const fn of this.listeners.get(event) ?? []) {
      try {
        fn(...args);
      } catch (err) {
        console.error(`listener for ${String(event)} failed:`, err);
      }
    }
  }
}
