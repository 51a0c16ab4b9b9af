// Every value that crosses a boundary (stored rows, settings, payloads) is checked here.
import * as z from "zod";

export const Attachment = z.object({
  name: z.string().max(255),
  size: z.number().int().nonnegative(),
  contentType: z.string().max(255).default("application/octet-stream"),
  url: z.string().url().max(2048).optional(),
});
export type Attachment = z.infer<typeof Attachment>;

export const ExchangeKind = z.enum(["email", "im"]);
export const Origin = z.enum(["ours", "theirs"]);

/** One email or IM between the user and a counterpart (a person key: email address, or xmpp:JID). */
export const Exchange = z.object({
  id: z.string().min(3).max(1100),
  kind: ExchangeKind,
  key: z.string().min(1).max(1000),
  counterpart: z.string().min(3).max(3100),
  direction: z.enum(["in", "out"]),
  at: z.number().int().nonnegative(),
  from: z.string().max(3100),
  to: z.array(z.string().max(3100)).max(500),
  subject: z.string().max(2000).optional(),
  text: z.string(),
  attachments: z.array(Attachment).max(200).default([]),
  /** "theirs": received in the counterpart's history payload, not verified by us. */
  origin: Origin.default("ours"),
  inReplyTo: z.string().max(1000).optional(),
});
export type Exchange = z.infer<typeof Exchange>;
export type ExchangeInput = z.input<typeof Exchange>;

export const MappingSource = z.enum(["user", "addressbook", "mail-header", "mail-signature", "convention"]);
export type MappingSource = z.infer<typeof MappingSource>;

export const Mapping = z.object({
  email: z.string().min(3),
  jid: z.string().min(3),
  source: MappingSource,
  confidence: z.number().min(0).max(1),
  updatedAt: z.number().int().nonnegative(),
});
export type Mapping = z.infer<typeof Mapping>;

export const DeliveryState = z.enum([
  "composing", "checking", "sending", "sent", "delivered",
  "unavailable", "asked", "queued", "cancelled", "converted", "failed",
]);
export type DeliveryState = z.infer<typeof DeliveryState>;

export const Transition = z.object({ state: DeliveryState, at: z.number().int(), reason: z.string().optional() });

/** The email an IM answers, so that "convert to email" makes a normal threaded reply. */
export const OriginalEmail = z.object({
  messageId: z.string().max(1000).optional(),
  references: z.array(z.string().max(1000)).max(100).default([]),
  subject: z.string().max(2000).default(""),
  from: z.string().max(3100),
  to: z.array(z.string()).default([]),
  date: z.number().int().optional(),
});
export type OriginalEmail = z.infer<typeof OriginalEmail>;

/** An outgoing IM and its delivery state; the row is the outbox entry when queued. */
export const OutboxItem = z.object({
  id: z.string().min(1).max(200),
  to: z.string().min(3),
  counterpart: z.string().min(3),
  text: z.string().max(5_000_000),
  createdAt: z.number().int(),
  state: DeliveryState,
  reason: z.string().optional(),
  attempts: z.number().int().nonnegative().default(0),
  nextAttemptAt: z.number().int().nonnegative().default(0),
  transitions: z.array(Transition).default([]),
  original: OriginalEmail.optional(),
});
export type OutboxItem = z.infer<typeof OutboxItem>;
export type OutboxItemInput = z.input<typeof OutboxItem>;

export const Session = z.object({
  id: z.string().uuid(),
  room: z.string().min(3),
  createdAt: z.number().int(),
  createdBy: z.string(),
  origin: z.object({ messageId: z.string().optional(), subject: z.string().default("") }).optional(),
  invited: z.array(z.string()).default([]),
  audience: z.array(z.object({ who: z.string(), joinedAt: z.number().int() })).default([]),
  records: z.array(z.object({ at: z.number().int(), from: z.string(), text: z.string(), id: z.string() })).default([]),
  /** What the email carries (to write it again when the access changes) and who may come in. */
  invitation: z.object({ link: z.string(), uri: z.string(), iconUrl: z.string().optional() }).optional(),
  access: z.object({ membersOnly: z.boolean().default(false), password: z.string().optional() }).optional(),
});
export type Session = z.infer<typeof Session>;

export const UsageRow = z.object({ name: z.string(), count: z.number().nonnegative() });
export type UsageRow = z.infer<typeof UsageRow>;

/** Readable one-line reason for a zod failure, for "corrupt row" reports. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(row)"}: ${i.message}`).join("; ");
}
