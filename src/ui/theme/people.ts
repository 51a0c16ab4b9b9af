// How a person is drawn on every page: their name (the address under it, smaller), an initials
// avatar in a colour that stays theirs (from the address, so it is the same in every window and
// host), and text from them kept from reordering what is around it (bidi isolation).
import { el } from "../dom";

/** How many avatar colours the themes define (--rvi-avatar-0 … -7 in tokens.css). */
const COLOURS = 8;

/** "Bob Builder" → "BB"; "bob@example.org" → "B"; the first letters as the person writes them. */
export function initials(nameOrAddress: string): string {
  const name = nameOrAddress.includes("@") && !nameOrAddress.includes(" ") ? nameOrAddress.split("@")[0]!.replace(/[._-]+/g, " ") : nameOrAddress;
  const words = name
    .replace(/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069"'()<>]/gu, "")
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  const first = (w: string) => [...w][0]?.toLocaleUpperCase() ?? "";
  return words.length > 1 ? first(words[0]!) + first(words[words.length - 1]!) : first(words[0] ?? "?") || "?";
}

/** A stable colour number for an address (FNV-1a over its lower-case form). */
export function colourOf(address: string): number {
  let h = 0x811c9dc5;
  for (const c of address.toLowerCase()) h = Math.imul(h ^ c.codePointAt(0)!, 0x01000193) >>> 0;
  return h % COLOURS;
}

/**
 * The person's face: their published picture when there is one (a data: image the engine keeps),
 * else their initials. Decoration only: the name is always written beside it.
 */
export function avatar(name: string | undefined, address: string, size: "s" | "m" = "m", picture?: string): HTMLElement {
  if (picture && /^data:image\/(png|jpeg|gif|webp);/.test(picture))
    return el("img", { class: `avatar avatar-${size}`, src: picture, alt: "", "aria-hidden": "true" });
  return el("span", { class: `avatar avatar-${size} avatar-c${colourOf(address)}`, "aria-hidden": "true" }, initials(name || address));
}

// right-to-left letters and the bidi controls: text with none of them cannot reorder its surroundings
const BIDI = /[\u0590-\u08ff\u200e\u200f\u202a-\u202e\u2066-\u2069\ufb1d-\ufdff\ufe70-\ufefc]/;

/**
 * Text from someone else inside a sentence of ours (a title, an announcement, "IM to …"): with
 * any right-to-left letter or bidi control in it, wrapped in FIRST STRONG ISOLATE … POP
 * DIRECTIONAL ISOLATE, so "IM to ‮gnp.exe" cannot turn the rest of the sentence around.
 */
export const isolate = (s: string): string => (BIDI.test(s) ? `\u2068${s}\u2069` : s);

/** An element holding text someone sent: its own direction (dir=auto), isolated, long words wrapped (.said). */
export function said<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text: string): HTMLElementTagNameMap[K] {
  return el(tag, { class: `said ${cls}`.trim(), dir: "auto" }, text);
}

/** The person as a block: name, and the address under it, smaller (only the address when there is no name). */
export function personLabel(name: string | undefined, address: string): HTMLElement[] {
  const shown = name?.trim();
  if (!shown || shown === address) return [said("span", "person-name", address)];
  return [said("span", "person-name", shown), said("span", "person-address", address)];
}
