// The parts of the join page's room view, each over explicit inputs: the reader's language for
// what others say (F16), one area per participant with who is here, and the message box.
import { forReader, LANGUAGES, type Translator } from "../../core/translation";
import { el } from "../dom";
import { isolate } from "../theme/people";
import { markBidi } from "../bidi";
import { getMessage as t, languageTag, currentLocale } from "../i18n";
import { problemText } from "../problem-text";

const LANGUAGE_KEY = "reply-via-im:join-language";
const time = (ms: number) => new Date(ms).toLocaleTimeString(languageTag(currentLocale()), { hour: "2-digit", minute: "2-digit" });

/** A message as the page shows it: its text, and the button back to the original when translated. */
interface Shown {
  who: string;
  body: string;
  span: HTMLElement;
  toggle: HTMLButtonElement;
}

/** F16: each reader picks their language (kept here); every message keeps its original one click away; one's own is never translated. */
export function roomLanguage({ translator, nick }: { translator?: Translator; nick: string }) {
  const shown: Shown[] = [];
  let language = translator ? (localStorage.getItem(LANGUAGE_KEY) ?? "") : "";
  const translate = async (entry: Shown) => {
    entry.toggle.hidden = true;
    entry.span.textContent = markBidi(entry.body);
    entry.span.removeAttribute("lang");
    if (!translator || !language || entry.who === nick) return;
    const asked = language;
    const tr = await forReader(translator, entry.body, { language: asked });
    if (asked !== language) return; // the reader changed language meanwhile
    if (tr.problem) return void entry.span.setAttribute("title", tr.problem);
    if (tr.text === entry.body) return;
    entry.span.textContent = markBidi(tr.text);
    entry.span.setAttribute("lang", asked);
    entry.toggle.hidden = false;
    entry.toggle.setAttribute("aria-pressed", "false");
    entry.toggle.textContent = t("showOriginal");
    entry.toggle.onclick = () => {
      const original = entry.toggle.getAttribute("aria-pressed") !== "true";
      entry.span.textContent = markBidi(original ? entry.body : tr.text);
      entry.toggle.setAttribute("aria-pressed", String(original));
      entry.toggle.textContent = original ? t("join_showTranslation") : t("showOriginal");
    };
  };
  /** The language picker for the header; none without a translation server. */
  const picker = (): HTMLElement[] => {
    if (!translator) return [];
    const select = el("select", { id: "language" });
    select.append(el("option", { value: "" }, t("join_asWritten")));
    for (const [code, label] of LANGUAGES) select.append(el("option", { value: code }, label));
    select.value = language;
    select.addEventListener("change", () => {
      language = select.value;
      localStorage.setItem(LANGUAGE_KEY, language);
      for (const entry of shown) void translate(entry);
    });
    return [el("label", { for: "language" }, `${t("join_showIn")} `), select];
  };
  return {
    picker,
    /** Shows `entry` in the reader's language, now and whenever they choose another. */
    add(entry: Shown) {
      shown.push(entry);
      void translate(entry);
    },
  };
}

/** One area per participant: their messages together, marked as theirs, with whether they are here. */
export function roomAreas({ nick, language, news }: { nick: string; language: ReturnType<typeof roomLanguage>; news: (who: string, body: string) => void }) {
  const node = el("div", { id: "areas", class: "areas" });
  const areas = new Map<string, { section: HTMLElement; list: HTMLOListElement; presence: HTMLElement }>();
  const seen = new Set<string>();
  const area = (who: string) => {
    let a = areas.get(who);
    if (a) return a;
    const name = markBidi(who); // shown with its reordering controls marked (src/ui/bidi.ts)
    const section = el("section", { class: who === nick ? "area mine" : "area", "data-nick": who, "aria-label": who === nick ? t("join_you", name) : name });
    const presence = el("span", { class: "presence" });
    const h = el("h2", {}, who === nick ? t("join_you", isolate(name)) : isolate(name)); // a name cannot turn the heading around
    h.append(presence);
    const list = el("ol", { class: "messages" });
    section.append(h, list);
    node.append(section);
    a = { section, list, presence };
    areas.set(who, a);
    return a;
  };
  return {
    node,
    area,
    /** A message in its writer's area, once (`key`: the same live and from the archive); `fresh`: said now, news to the reader. */
    show(who: string, body: string, at: number, key: string | undefined, fresh: boolean) {
      if (key && seen.has(key)) return;
      if (key) seen.add(key);
      const li = el("li");
      const span = el("span", { class: "body", dir: "auto" }, markBidi(body)); // its own direction, isolated (join.css)
      const toggle = el("button", { type: "button", class: "original", hidden: "" });
      li.append(el("time", { datetime: new Date(at).toISOString() }, time(at)), span, toggle);
      area(who).list.append(li);
      language.add({ who, body, span, toggle });
      if (fresh && who !== nick) news(who, body);
    },
    /** Marks each area here or gone. */
    present(present: Set<string>) {
      for (const [who, a] of areas) {
        a.presence.textContent = ` · ${present.has(who) ? t("join_isHere") : t("join_hasLeft")}`;
        a.section.classList.toggle("away", !present.has(who));
      }
    },
  };
}

/** The message box: Enter sends (Shift+Enter a new line); a failure is said in the live region and the text given back. */
export function roomSay({ send, announce }: { send: (body: string) => Promise<void>; announce: (text: string) => void }) {
  const node = el("form", { id: "say" });
  const text = el("textarea", { id: "message", rows: "2", "aria-label": t("join_yourMessage"), placeholder: t("join_messageHint") });
  node.append(text, el("button", { type: "submit" }, t("send")));
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const body = text.value.trim();
    if (!body) return;
    text.value = "";
    try {
      await send(body);
    } catch (err) {
      if (!text.value) text.value = body; // nothing written is lost
      announce(t("join_notSent", problemText(err, t)));
    }
  };
  node.addEventListener("submit", (e) => void submit(e));
  text.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      node.requestSubmit();
    }
  });
  return { node, focus: () => text.focus() };
}
