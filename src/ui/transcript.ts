// F13: the transcript of the chat session an email carries, shown beside the email — above the
// message in Thunderbird (a message display script), at the top of the Outlook read pane. Built
// with textContent only: nothing from the room is parsed as HTML.
import { el } from "./dom";
import { isolate } from "./theme/people";
import { markBidi } from "./bidi";
export interface TranscriptView {
  ended: boolean;
  own: boolean;
  /** On a server the user has not chosen: nothing was read from it (the room's address says where). */
  elsewhere?: boolean;
  room?: string;
  subject: string;
  inviter: string;
  invited: string[];
  audience: { who: string; joinedAt: number }[];
  records: { at: number; from: string; text: string; id: string }[];
  link: string;
}
type T = (key: string, ...subs: string[]) => string;

const time = (at: number) => new Date(at).toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" });

/** The banner's element (made once, emptied on every render). */
export function transcriptBox(doc: Document, place: (box: HTMLElement) => void, t: T): HTMLElement {
  let b = doc.getElementById("rvi-transcript");
  if (!b) {
    b = el("aside", { id: "rvi-transcript", role: "region", "aria-label": t("transcriptRegion") });
    place(b);
  }
  b.replaceChildren();
  return b;
}

export function renderTranscript(b: HTMLElement, tr: TranscriptView, t: T, act: { rejoin: () => void; refresh: () => void }) {
  const said = tr.records.filter((r) => !r.id.startsWith("invitation-"));
  // what others wrote is shown with its reordering controls marked (src/ui/bidi.ts), never obeyed
  const shown = (s: string) => isolate(markBidi(s));
  const title = tr.subject ? t("transcriptTitleAbout", shown(tr.subject)) : t("transcriptTitle");
  if (tr.elsewhere) {
    // nothing was asked of that server: no count, no names, only where it is and the way in
    b.append(el("h2", {}, title), el("p", {}, t("transcriptElsewhere", shown(tr.room?.split("@")[1] ?? ""))));
  } else {
    b.append(
      el("h2", {}, title, " — ", tr.ended ? t("transcriptEnded") : said.length === 1 ? t("transcriptCountOne") : t("transcriptCount", String(said.length))),
    );
  }
  if (tr.own) {
    const came = tr.audience.map((a) => `${shown(a.who)} (${time(a.joinedAt)})`).join(", ");
    b.append(el("p", { class: "rvi-audience" }, t("transcriptInvited", tr.invited.map(shown).join(", ") || "—"), " · ", t("transcriptJoined", came || "—")));
  } else if (tr.inviter) {
    b.append(el("p", { class: "rvi-audience" }, t("transcriptFrom", shown(tr.inviter))));
  }
  if (tr.elsewhere) {
    // said above
  } else if (said.length) {
    b.append(
      el(
        "ol",
        { class: "rvi-records" },
        ...said.map((r) =>
          // each person's name and words isolated (dir=auto): a right-to-left override stays inside them
          el(
            "li",
            {},
            el("time", { datetime: new Date(r.at).toISOString() }, time(r.at)),
            el("b", { class: "rvi-from said", dir: "auto" }, markBidi(r.from)),
            ": ",
            el("span", { class: "said", dir: "auto" }, markBidi(r.text)),
          ),
        ),
      ),
    );
  } else {
    b.append(el("p", {}, t(tr.ended ? "transcriptNothingKept" : "transcriptNothingYet")));
  }
  const actions = el("p", { class: "rvi-actions" });
  if (!tr.ended) {
    const rejoin = el("button", { type: "button", id: "rvi-rejoin" }, t("transcriptRejoin"));
    rejoin.addEventListener("click", act.rejoin);
    actions.append(rejoin, " ");
  }
  const refresh = el("button", { type: "button", id: "rvi-refresh" }, t("transcriptRefresh"));
  refresh.addEventListener("click", act.refresh);
  actions.append(refresh);
  b.append(actions);
}

/** The email has an invitation but its transcript cannot be read: why, and Try again. */
export function renderTranscriptProblem(b: HTMLElement, message: string, t: T, retry: () => void) {
  b.append(el("p", {}, t("transcriptProblem", message)));
  const again = el("button", { type: "button", id: "rvi-refresh" }, t("tryAgain"));
  again.addEventListener("click", retry);
  b.append(el("p", { class: "rvi-actions" }, again));
}
