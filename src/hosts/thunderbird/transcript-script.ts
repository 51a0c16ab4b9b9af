// F13, in the message display (a message display script): an email that carries a chat-session
// invitation gets a banner above its text with the session's transcript (src/ui/transcript) and
// Rejoin. The background finds the invitation in the links and text handed over here and reads
// the transcript; most emails have no join link, and then nothing is sent at all.
import { renderTranscript, renderTranscriptProblem, transcriptBox, type TranscriptView } from "../../ui/transcript";

const api = (globalThis as unknown as { browser: typeof messenger }).browser;
const t = (key: string, ...subs: string[]) => api.i18n.getMessage(key, subs) || key;
type Reply = { ok: true; value: TranscriptView | null } | { ok: false; error: string };

function candidates(): string[] {
  const links = [...document.querySelectorAll("a[href]")].map((a) => (a as HTMLAnchorElement).href);
  const marked = [...document.querySelectorAll("[data-rvi-session]")].map((e) => e.getAttribute("data-rvi-session") ?? "");
  return [...marked, ...links, (document.body?.textContent ?? "").slice(0, 200_000)];
}

async function load() {
  const found = candidates();
  if (!found.some((c) => /#s=|\?join/i.test(c))) return;
  const r = (await api.runtime.sendMessage({ command: "transcript:get", candidates: found }).catch((e: Error) => ({ ok: false, error: e.message }))) as Reply | undefined;
  const box = () => transcriptBox(document, (b) => document.body.prepend(b), t);
  if (!r) return renderTranscriptProblem(box(), t("noBackground"), t, () => void load());
  if (!r.ok) return renderTranscriptProblem(box(), r.error, t, () => void load());
  const tr = r.value;
  if (tr) renderTranscript(box(), tr, t, { rejoin: () => void api.runtime.sendMessage({ command: "transcript:rejoin", link: tr.link }), refresh: () => void load() });
}

void load();
