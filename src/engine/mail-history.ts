// The history with a person as the engine keeps it (F3, F9, F14): the emails a host reads,
// recorded as part of it; the history asked for by email address or JID; the reply by email to
// an IM conversation, as a draft with the chat so far; and the retention setting, which forgets
// old exchanges (and strangers' IMs after their own time, whatever it says).
import {
  emailExchange,
  historyFor,
  nameFromHeader,
  normaliseEmail,
  threadToEmailDraft,
  type EmailDraft,
  type EmailInput,
  type HistoryOptions,
  type OriginalEmail,
} from "../core";
import { counterpartForEmail, type EngineContext } from "./context";
import type { contactsPart } from "./contacts";

export function mailHistoryPart(ctx: EngineContext, contacts: Pick<ReturnType<typeof contactsPart>, "forgetStrangers">) {
  const { store, clock, me } = ctx;
  return {
    /** Records an email the host read, so it becomes part of the history with that person. */
    recordEmail: async (email: EmailInput, counterpartEmail: string) => {
      const c = normaliseEmail(counterpartEmail);
      // the name the header gives its sender is how the person is shown from now on (F26)
      await ctx.people.learn(email.from, nameFromHeader(email.from), "email", email.date);
      return store.exchanges.add(emailExchange(c, counterpartForEmail(email.from) === c ? "in" : "out", email));
    },

    /** The history with a person, named by email address or JID. */
    history: async (who: string, opts?: HistoryOptions) => historyFor(store.exchanges, await ctx.counterpartOf(who), opts),

    /** F9: an email draft to the person behind an IM conversation, with the chat so far. */
    replyByEmail: async (who: string): Promise<EmailDraft> => {
      const counterpart = await ctx.counterpartOf(who);
      const recent = await store.exchanges.recent(counterpart, { limit: 200 });
      const thread = recent
        .filter((x) => x.kind === "im")
        .slice(0, 50)
        .reverse();
      const lastEmail = recent.find((x) => x.kind === "email");
      const original: OriginalEmail | undefined = lastEmail
        ? { messageId: lastEmail.key, references: [], subject: lastEmail.subject ?? "", from: lastEmail.from, to: lastEmail.to }
        : undefined;
      ctx.count("repliesByEmail");
      return threadToEmailDraft({ thread, me, to: counterpart.replace(/^xmpp:/, ""), original });
    },

    /**
     * The retention setting: forgets exchanges older than `days` (0 keeps everything), and
     * strangers' IMs after STRANGER_RETENTION_DAYS whatever it says (F14). Returns how many.
     */
    forgetOlderThan: async (days: number) =>
      (await contacts.forgetStrangers()) + (days > 0 ? await store.exchanges.forgetBefore(clock.now() - days * 86_400_000) : 0),
  };
}
