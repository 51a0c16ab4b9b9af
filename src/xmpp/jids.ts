// Small JID helpers for stanza handling (full JIDs from the wire are trusted no further than this).
export function bareOf(full: string | undefined): string {
  return (full ?? "").split("/")[0]!.toLowerCase();
}
export function resourceOf(full: string | undefined): string {
  const i = (full ?? "").indexOf("/");
  return i < 0 ? "" : full!.slice(i + 1);
}
export function newId(prefix = "rvi"): string {
  return `${prefix}-${globalThis.crypto.randomUUID()}`;
}
