// Every value that crosses a boundary (stored rows, settings, payloads) is checked here.
// zod/mini: functions instead of methods, so a bundle carries only the checks it uses. It loads no
// locale (every issue would say "Invalid input"): English is set here, as full zod does itself,
// for the reasons in "corrupt row" reports and refused history payloads.
import * as z from "zod/mini";
import type { $ZodError } from "zod/v4/core";
import { en } from "zod/v4/locales";

z.config(en());

export const Attachment = z.object({
  name: z.string().check(z.maxLength(255)),
  size: z.number().check(z.int(), z.nonnegative()),
  contentType: z._default(z.string().check(z.maxLength(255)), "application/octet-stream"),
  url: z.optional(z.string().check(z.url(), z.maxLength(2048))),
});
export type Attachment = z.infer<typeof Attachment>;

export const ExchangeKind = z.enum(["email", "im"]);
export const Origin = z.enum(["ours", "theirs"]);

/** One email or IM between the user and a counterpart (a person key: email address, or xmpp:JID). */
export const Exchange = z.object({
  id: z.string().check(z.minLength(3), z.maxLength(1100)),
  kind: ExchangeKind,
  key: z.string().check(z.minLength(1), z.maxLength(1000)),
  counterpart: z.string().check(z.minLength(3), z.maxLength(3100)),
  direction: z.enum(["in", "out"]),
  at: z.number().check(z.int(), z.nonnegative()),
  from: z.string().check(z.maxLength(3100)),
  to: z.array(z.string().check(z.maxLength(3100))).check(z.maxLength(500)),
  subject: z.optional(z.string().check(z.maxLength(2000))),
  text: z.string(),
  attachments: z._default(z.array(Attachment).check(z.maxLength(200)), []),
  /** "theirs": received in the counterpart's history payload, not verified by us. */
  origin: z._default(Origin, "ours"),
  inReplyTo: z.optional(z.string().check(z.maxLength(1000))),
});
export type Exchange = z.infer<typeof Exchange>;
export type ExchangeInput = z.input<typeof Exchange>;

/** "answered": the guess (convention) proven — the person wrote from that address (F26). */
export const MappingSource = z.enum(["user", "addressbook", "answered", "mail-header", "mail-signature", "convention"]);
export type MappingSource = z.infer<typeof MappingSource>;

export const Mapping = z.object({
  email: z.string().check(z.minLength(3)),
  jid: z.string().check(z.minLength(3)),
  source: MappingSource,
  confidence: z.number().check(z.minimum(0), z.maximum(1)),
  updatedAt: z.number().check(z.int(), z.nonnegative()),
});
export type Mapping = z.infer<typeof Mapping>;

export const DeliveryState = z.enum([
  "composing",
  "checking",
  "sending",
  "sent",
  "delivered",
  "unavailable",
  "asked",
  "queued",
  "cancelled",
  "converted",
  "failed",
]);
export type DeliveryState = z.infer<typeof DeliveryState>;

export const Transition = z.object({ state: DeliveryState, at: z.number().check(z.int()), reason: z.optional(z.string()) });

/** The email an IM answers, so that "convert to email" makes a normal threaded reply. */
export const OriginalEmail = z.object({
  messageId: z.optional(z.string().check(z.maxLength(1000))),
  references: z._default(z.array(z.string().check(z.maxLength(1000))).check(z.maxLength(100)), []),
  subject: z._default(z.string().check(z.maxLength(2000)), ""),
  from: z.string().check(z.maxLength(3100)),
  to: z._default(z.array(z.string()), []),
  date: z.optional(z.number().check(z.int())),
});
export type OriginalEmail = z.infer<typeof OriginalEmail>;

/** An outgoing IM and its delivery state; the row is the outbox entry when queued. */
export const OutboxItem = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(200)),
  to: z.string().check(z.minLength(3)),
  counterpart: z.string().check(z.minLength(3)),
  text: z.string().check(z.maxLength(5_000_000)),
  createdAt: z.number().check(z.int()),
  state: DeliveryState,
  reason: z.optional(z.string()),
  /** Why it failed, as a code a page says in its language (a bounce's stanza condition, "gave-up"); `reason` is the English of it. */
  reasonCode: z.optional(z.string().check(z.maxLength(100))),
  attempts: z._default(z.number().check(z.int(), z.nonnegative()), 0),
  nextAttemptAt: z._default(z.number().check(z.int(), z.nonnegative()), 0),
  transitions: z._default(z.array(Transition), []),
  original: z.optional(OriginalEmail),
});
export type OutboxItem = z.infer<typeof OutboxItem>;
export type OutboxItemInput = z.input<typeof OutboxItem>;

/** One thing said in a session (F12): the invitation first, then each message, by the speaker's nickname. */
export const SessionRecord = z.object({ at: z.number().check(z.int()), from: z.string(), text: z.string(), id: z.string() });
export type SessionRecord = z.infer<typeof SessionRecord>;

export const Session = z.object({
  id: z.string().check(z.uuid()),
  room: z.string().check(z.minLength(3)),
  createdAt: z.number().check(z.int()),
  createdBy: z.string(),
  origin: z.optional(z.object({ messageId: z.optional(z.string()), subject: z._default(z.string(), "") })),
  invited: z._default(z.array(z.string()), []),
  audience: z._default(z.array(z.object({ who: z.string(), joinedAt: z.number().check(z.int()) })), []),
  records: z._default(z.array(SessionRecord), []),
  /** What the email carries (to write it again when the access changes) and who may come in. */
  /** `link`: the web join page's link — none when no join page is set up (the xmpp: URI still is). */
  invitation: z.optional(z.object({ link: z.optional(z.string()), uri: z.string(), iconUrl: z.optional(z.string()) })),
  access: z.optional(z.object({ membersOnly: z._default(z.boolean(), false), password: z.optional(z.string()) })),
});
export type Session = z.infer<typeof Session>;

export const UsageRow = z.object({ name: z.string(), count: z.number().check(z.nonnegative()) });
export type UsageRow = z.infer<typeof UsageRow>;

/** Readable one-line reason for a zod failure, for "corrupt row" reports. */
export function describeIssues(error: $ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join(".") || "(row)"}: ${i.message}`)
    .join("; ");
}
