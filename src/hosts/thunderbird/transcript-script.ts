// F13, in the message display (a message display script): an email that carries a chat-session
// invitation gets a banner above its text with the session's transcript — who was invited and
// who came (for the user's own sessions), what was said — and Rejoin. The background finds the
// invitation in the links and text handed over here and reads the transcript; this script only
// builds the banner, with textContent (nothing from the room is parsed as HTML).
const api = (globalThis as unknown as { browser: typeof messenger }).browser;
const t = (key: string, ...subs: string[]) => api.i18n.getMessage(key, subs) || key;

interface Transcript {
  ended: boolean;
  own: boolean;
  subject: string;
  inviter: string;
  invited: string[];
  audience: { who: string; joinedAt: number }[];
  records: { at: number; from: string; text: string; id: string }[];
  link: string;
}
type Reply = { ok: true; value: Transcript | null } | { ok: false; error: string };

function candidates(): string[] {
  const links = [...document.querySelectorAll("a[href]")].map((a) => (a as HTMLAnchorElement).href);
  const marked = [...document.querySelectorAll("[data-rvi-session]")].map((e) => e.getAttribute("data-rvi-session") ?? "");
  return [...marked, ...links, (document.body?.textContent ?? "").slice(0, 200_000)];
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}
const time = (at: number) => new Date(at).toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" });

function banner(): HTMLElement {
  let b = document.getElementById("rvi-transcript");
  if (!b) {
    b = el("aside", { id: "rvi-transcript", role: "region", "aria-label": t("transcriptRegion") });
    document.body.prepend(b);
  }
  b.replaceChildren();
  return b;
}

function render(tr: Transcript) {
  const b = banner();
  const said = tr.records.filter((r) => !r.id.startsWith("invitation-"));
  const title = tr.subject ? t("transcriptTitleAbout", tr.subject) : t("transcriptTitle");
  b.append(el("h2", {}, title, " — ", tr.ended ? t("transcriptEnded") : t("transcriptCount", String(said.length))));
  if (tr.own) {
    const came = tr.audience.map((a) => `${a.who} (${time(a.joinedAt)})`).join(", ");
    b.append(el("p", { class: "rvi-audience" }, t("transcriptInvited", tr.invited.join(", ") || "—"), " · ", t("transcriptJoined", came || "—")));
  } else if (tr.inviter) {
    b.append(el("p", { class: "rvi-audience" }, t("transcriptFrom", tr.inviter)));
  }
  if (said.length) {
    b.append(el("ol", { class: "rvi-records" }, ...said.map((r) =>
      el("li", {}, el("time", { datetime: new Date(r.at).toISOString() }, time(r.at)), " ", el("b", {}, r.from), ": ", r.text))));
  } else {
    b.append(el("p", {}, t(tr.ended ? "transcriptNothingKept" : "transcriptNothingYet")));
  }
  const actions = el("p", { class: "rvi-actions" });
  if (!tr.ended) {
    const rejoin = el("button", { type: "button", id: "rvi-rejoin" }, t("transcriptRejoin"));
    rejoin.addEventListener("click", () => void api.runtime.sendMessage({ command: "transcript:rejoin", link: tr.link }));
    actions.append(rejoin, " ");
  }
  const refresh = el("button", { type: "button", id: "rvi-refresh" }, t("transcriptRefresh"));
  refresh.addEventListener("click", () => void load());
  actions.append(refresh);
  b.append(actions);
}

function problem(message: string) {
  const b = banner();
  b.append(el("p", {}, t("transcriptProblem", message.replace(/^needs-account:/, ""))));
  const retry = el("button", { type: "button", id: "rvi-refresh" }, t("tryAgain"));
  retry.addEventListener("click", () => void load());
  b.append(el("p", { class: "rvi-actions" }, retry));
}

async function load() {
  const found = candidates();
  if (!found.some((c) => /#s=|\?join/i.test(c))) return; // most emails: nothing to do, no message sent
  const r = (await api.runtime.sendMessage({ command: "transcript:get", candidates: found }).catch((e: Error) => ({ ok: false, error: e.message }))) as Reply | undefined;
  if (!r) return problem(t("noBackground"));
  if (!r.ok) return problem(r.error);
  if (r.value) render(r.value);
}

void load();
