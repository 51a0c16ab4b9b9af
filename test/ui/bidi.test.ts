// Issue 21, item 10: a reordering control in what someone sent is shown, not obeyed (the page
// tests in test/ui/im-window.test.ts check it where the IM window, contacts, transcript banner
// and join page draw it).
import { markBidi } from "../../src/ui/bidi";

describe("F26 bidi controls in text people send are shown, not obeyed", () => {
  it("a right-to-left override reads as typed, the override named where it was", () => {
    expect(markBidi("\u202egnp.exe harmless")).toBe("⟨U+202E⟩gnp.exe harmless");
  });

  it("every embedding, override and isolate, balanced or not, is marked; nothing else changes", () => {
    const controls = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"];
    expect(controls.map(markBidi)).toEqual(["202A", "202B", "202C", "202D", "202E", "2066", "2067", "2068", "2069"].map((c) => `⟨U+${c}⟩`));
    expect(markBidi("a\u2067b\u2069c\u202bd")).toBe("a⟨U+2067⟩b⟨U+2069⟩c⟨U+202B⟩d");
  });

  it("right-to-left script and the marks that do not reorder (LRM, RLM, ALM) stay as written", () => {
    for (const text of ["שלום עולם", "مرحبا بالعالم", "a\u200eb\u200fc\u061cd", "Bob Builder", "", "😀 ⟨U+202E⟩ typed by hand"])
      expect(markBidi(text)).toBe(text);
  });
});
