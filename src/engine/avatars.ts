// People's published pictures (F26), kept in the store's key-value table: the IM window shows a
// kept one at once and asks the server again in the background at most once a day, so opening a
// chat never waits for it. No picture: the pages draw initials (core/people.ts).
import { fetchAvatar } from "../xmpp/avatar";
import { bareOf } from "../xmpp/jids";
import type { EngineContext } from "./context";

const DAY = 86_400_000;
interface Kept {
  at: number;
  url?: string;
}

export function avatarsPart(ctx: EngineContext) {
  const key = (jid: string) => `avatar:${bareOf(jid).toLowerCase()}`;
  const asking = new Map<string, Promise<string | undefined>>();
  return {
    /** The kept picture (a data: URL), if any. */
    async cached(jid: string): Promise<string | undefined> {
      return (await ctx.store.state.get<Kept>(key(jid)))?.url;
    },
    /** Asks their server when nothing was asked today; the picture, or undefined when they publish none. */
    refresh(jid: string): Promise<string | undefined> {
      const k = key(jid);
      let p = asking.get(k);
      if (!p) {
        p = (async () => {
          const kept = await ctx.store.state.get<Kept>(k);
          if (kept && ctx.clock.now() - kept.at < DAY) return kept.url;
          const o = ctx.online();
          if (!o) return kept?.url; // not connected: what was kept stays
          const url = await fetchAvatar(o.conn.xmpp, bareOf(jid));
          await ctx.store.state.set(k, { at: ctx.clock.now(), ...(url ? { url } : {}) });
          return url;
        })().finally(() => asking.delete(k));
        asking.set(k, p);
      }
      return p;
    },
  };
}
