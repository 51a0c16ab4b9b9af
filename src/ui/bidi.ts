// Bidi controls shown, not obeyed (issue 21, item 10). Text someone sent is isolated where it is
// shown (dir=auto, FSI…PDI: it cannot turn our sentence around), but inside it an override is
// still obeyed: "‮gnp.exe harmless" reads "sselmrah exe.png". As Thunderbird does for attachment
// names, each control that reorders text is written out as a visible mark in its place; the text
// then reads in the order it was typed, and right-to-left script still reads right to left.

// embeddings and overrides (LRE RLE PDF LRO RLO) and isolates (LRI RLI FSI PDI), balanced or not
const REORDERING = /[\u202a-\u202e\u2066-\u2069]/g;

/** "⟨U+202E⟩gnp.exe harmless": every reordering control as a mark naming it; other text as it is. */
export function markBidi(text: string): string {
  return text.replace(REORDERING, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase()}⟩`);
}
