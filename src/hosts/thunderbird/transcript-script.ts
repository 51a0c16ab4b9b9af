// F13, in the message display (a message display script): an email that carries a chat-session
// invitation gets a banner above its text with the session's transcript (src/ui/transcript) and
// Rejoin. The background finds the invitation in the links and text handed over here and reads
// the transcript; most emails have no join link, and then nothing is sent at all.
import { renderTranscript, renderTranscriptProblem, transcriptBox } from "../../ui/transcript";
import { caller } from "../../ui/protocol";
import { problemText } from "../../ui/problem-text";

const api = browser;
const t = (key: string, ...subs: string[]) => api.i18n.getMessage(key, subs) || key;
const call = caller((msg) => api.runtime.sendMessage(msg), t);

function candidates(): string[] {
  const links = [...document.querySelectorAll("a[href]")].map((a) => (a as HTMLAnchorElement).href);
  const marked = [...document.querySelectorAll("[data-rvi-session]")].map((e) => e.getAttribute("data-rvi-session") ?? "");
  return [...marked, ...links, (document.body?.textContent ?? "").slice(0, 200_000)];
}

async function load() {
  const found = candidates();
  if (!found.some((c) => /#s=|\?join/i.test(c))) return;
  const box = () => transcriptBox(document, (b) => document.body.prepend(b), t);
  let tr;
  try {
    tr = await call("transcript:get", { candidates: found });
  } catch (err) {
    return renderTranscriptProblem(box(), problemText(err, t), t, () => void load());
  }
  if (tr) {
    const link = tr.link;
    renderTranscript(box(), tr, t, {
      rejoin: () => void call("transcript:rejoin", { link }).catch((err: Error) => renderTranscriptProblem(box(), err.message, t, () => void load())),
      refresh: () => void load(),
    });
  }
}

void load();
