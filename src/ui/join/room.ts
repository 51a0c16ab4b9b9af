// The join page's room (F11): the header with who is here, Leave and the reader's language, one
// area per participant, the message box — the parts in room-parts.ts, put together over the
// RoomSession the page's host opens (src/hosts/web/room.ts).
import type { Translator } from "../../core/translation";
import { el } from "../dom";
import { isolate } from "../theme/people";
import { markBidi } from "../bidi";
import { getMessage as t, plural } from "../i18n";
import { roomAreas, roomLanguage, roomSay } from "./room-parts";
import type { OpenRoom, RoomRequest, RoomSession } from "./session";

export type Entry = Omit<RoomRequest, "onMessage" | "onOccupant"> & { translator?: Translator };

export async function enterRoom(root: HTMLElement, openRoom: OpenRoom, { translator, ...request }: Entry): Promise<void> {
  const { nick } = request;
  // the room once joined; the callbacks below run from before the join, and read it when it is there
  const joined: { session?: RoomSession } = {};
  const live = el("div", { id: "live", class: "sr-only", "aria-live": "polite" });
  const announce = (s: string) => (live.textContent = s);

  let unread = 0;
  const title = () => {
    const n = joined.session?.occupants().length ?? 0;
    document.title = `${unread && document.hidden ? `(${unread}) ` : ""}${t("join_pageTitle", plural(t, "join_hereCount", n))}`;
  };
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) unread = 0;
    title();
  });

  const language = roomLanguage({ translator, nick });
  const areas = roomAreas({
    nick,
    language,
    news: (who, body) => {
      announce(`${isolate(markBidi(who))}: ${isolate(markBidi(body))}`);
      if (document.hidden) unread++;
      title();
    },
  });
  const here = el("p", { id: "here", class: "muted" });
  const leave = el("button", { type: "button", id: "leave" }, t("join_leave"));
  const header = el("header", {}, el("h1", {}, t("transcriptTitle")), here, leave, ...language.picker());
  const presenceOf = () => {
    const present = new Set(joined.session?.occupants() ?? []);
    areas.present(present);
    here.textContent = t(
      "join_hereNow",
      [...present]
        .sort()
        .map((p) => isolate(markBidi(p)))
        .join(", ") || t("join_onlyYou"),
    );
    title();
  };

  const room = await openRoom({
    ...request,
    onMessage: (line) => areas.show(line.who, line.body, line.at, line.key, true),
    onOccupant: (who, present) => {
      if (present) areas.area(who);
      if (joined.session) presenceOf(); // before the join is done, the page shows who is here once it is
    },
  });
  joined.session = room;
  areas.area(nick);
  const say = roomSay({ send: (body) => room.send(body), announce });
  root.replaceChildren(header, areas.node, say.node, live);
  // the room's history, then what is said live (a message in both is shown once)
  for (const h of room.history) areas.show(h.who, h.body, h.at, h.key, false);
  presenceOf();

  // room.leave() cannot fail (each step's failure is ignored: the page is left either way)
  const leaveRoom = async () => {
    leave.disabled = true;
    await room.leave();
    const again = el("button", { type: "button", id: "rejoin" }, t("join_again"));
    again.addEventListener("click", () => location.reload());
    root.replaceChildren(el("h1", {}, t("join_leftTitle")), el("p", { role: "status" }, t("join_leftText")), again);
    document.title = t("join_pageTitle", t("join_titleLeft"));
    again.focus();
  };
  leave.addEventListener("click", () => void leaveRoom());
  window.addEventListener("pagehide", () => void room.leave());
  say.focus();
}
