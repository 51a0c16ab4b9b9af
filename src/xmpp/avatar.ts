// A person's published picture (F26): their vCard's PHOTO (vcard-temp, XEP-0054 — what Prosody's
// vcard_legacy and ejabberd's mod_vcard answer to anyone), else their XEP-0084 avatar (PEP; a
// server may keep it for contacts only). Only small raster images are taken, as a data: URL the
// pages can show under their CSP (img-src data:); anything else is no picture.
import { xml, type Client } from "@xmpp/client";
import type { Element } from "@xmpp/xml";

const NS_VCARD = "vcard-temp";
const NS_AVATAR_DATA = "urn:xmpp:avatar:data";
const NS_AVATAR_META = "urn:xmpp:avatar:metadata";
const NS_PUBSUB = "http://jabber.org/protocol/pubsub";
const TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);
/** Bytes of picture at most: an avatar, not a photo album. */
export const MAX_AVATAR_BYTES = 64 * 1024;

/** A data: URL for a base64 picture of an allowed type and size; undefined otherwise. */
export function avatarUrl(type: string | undefined, base64: string | undefined): string | undefined {
  const t = (type ?? "").trim().toLowerCase();
  const b = (base64 ?? "").replace(/\s+/g, "");
  if (!TYPES.has(t) || !b || !/^[A-Za-z0-9+/]+={0,2}$/.test(b)) return undefined;
  if (Math.floor((b.length * 3) / 4) > MAX_AVATAR_BYTES) return undefined;
  return `data:${t};base64,${b}`;
}

async function fromVcard(xmpp: Client, jid: string): Promise<string | undefined> {
  const card = await xmpp.iqCaller.get(xml("vCard", { xmlns: NS_VCARD }), jid);
  const photo = card?.getChild("PHOTO");
  return avatarUrl(photo?.getChildText("TYPE") ?? undefined, photo?.getChildText("BINVAL") ?? undefined);
}

async function fromPep(xmpp: Client, jid: string): Promise<string | undefined> {
  const items = (node: string, id?: string) =>
    xmpp.iqCaller.get(xml("pubsub", { xmlns: NS_PUBSUB }, xml("items", { node }, ...(id ? [xml("item", { id })] : []))), jid);
  const meta = await items(NS_AVATAR_META);
  const info = meta
    .getChild("items")
    ?.getChild("item")
    ?.getChild("metadata", NS_AVATAR_META)
    ?.getChildren("info")
    .find((i: Element) => TYPES.has(i.attrs.type ?? "") && !i.attrs.url);
  if (!info?.attrs.id) return undefined;
  const data = await items(NS_AVATAR_DATA, info.attrs.id);
  return avatarUrl(info.attrs.type, data.getChild("items")?.getChild("item")?.getChildText("data", NS_AVATAR_DATA) ?? undefined);
}

/** Their picture as a data: URL, or undefined when they publish none (or none we may read). */
export async function fetchAvatar(xmpp: Client, jid: string): Promise<string | undefined> {
  // an error answer (no vCard, not allowed, no PEP) is "no picture there": the next place is tried
  const card = await fromVcard(xmpp, jid).catch(() => undefined);
  return card ?? (await fromPep(xmpp, jid).catch(() => undefined));
}
