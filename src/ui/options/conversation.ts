// F24/F25 in Options: the Conversation History folder (on, its name, the quiet time that ends a
// conversation) and Send as IM instead (off by default, and the size of a "short" email).
// Fields IT preset are shown locked; a value out of range is said and focused, not saved.
import type { Settings } from "../../core/settings";
import { el } from "../dom";

type Keys = "historyFolder" | "historyFolderName" | "quietMinutes" | "sendAsIm" | "sendAsImMaxBytes";
export type ConversationSettings = Pick<Settings, Keys>;
type T = (key: string, ...subs: string[]) => string;

export function conversationFields(t: T, d: ConversationSettings, locked: string[]) {
  const box = el("fieldset", { id: "conversation" });
  box.append(el("legend", {}, t("conversationLegend")));
  const check = (name: "historyFolder" | "sendAsIm") => {
    const input = el("input", { type: "checkbox", id: name, name });
    input.checked = d[name];
    input.disabled = locked.includes(name);
    const label = el("label", { for: name, class: "check" });
    label.append(input, ` ${t(`${name}Label`)}`);
    box.append(label);
    return input;
  };
  const field = (name: "historyFolderName" | "quietMinutes" | "sendAsImMaxBytes", type: "text" | "number", range?: [number, number]) => {
    const input = el("input", { id: name, name, type });
    // the range is checked on Save, said in words and focused (the browser's own bubble would block the form silently for a screen reader)
    if (range) Object.assign(input.dataset, { min: String(range[0]), max: String(range[1]) });
    input.value = String(d[name]);
    if (locked.includes(name)) input.readOnly = true;
    box.append(el("label", { for: name }, t(`${name}Label`)), input);
    return input;
  };
  const inputs = {
    historyFolder: check("historyFolder"),
    historyFolderName: field("historyFolderName", "text"),
    quietMinutes: field("quietMinutes", "number", [1, 1440]),
    sendAsIm: check("sendAsIm"),
    sendAsImMaxBytes: field("sendAsImMaxBytes", "number", [100, 100_000]),
  };
  return {
    node: box,
    /** The changed values to save, or the input to focus and what is wrong with it. */
    values(): { values: Partial<ConversationSettings> } | { bad: HTMLInputElement; message: string } {
      const name = inputs.historyFolderName.value.trim();
      if (!name || /[/\\]/.test(name)) return { bad: inputs.historyFolderName, message: t("historyFolderNameBad") };
      for (const input of [inputs.quietMinutes, inputs.sendAsImMaxBytes]) {
        const n = Number(input.value);
        const [min, max] = [input.dataset.min ?? "", input.dataset.max ?? ""];
        if (!input.value.trim() || !Number.isInteger(n) || n < Number(min) || n > Number(max)) return { bad: input, message: t("numberBetween", min, max) };
      }
      const all: ConversationSettings = {
        historyFolder: inputs.historyFolder.checked,
        historyFolderName: name,
        quietMinutes: Number(inputs.quietMinutes.value),
        sendAsIm: inputs.sendAsIm.checked,
        sendAsImMaxBytes: Number(inputs.sendAsImMaxBytes.value),
      };
      // only what the person changed: the rest stays as it is kept (and IT's locked fields are never sent)
      return { values: Object.fromEntries(Object.entries(all).filter(([k, v]) => !locked.includes(k) && v !== d[k as Keys])) };
    },
  };
}
