// The join page's entry: the link is this page's own address; the server comes from config.json
// beside the page (written by the build, editable where the page is hosted); the page (src/ui/join)
// enters the room through this host's XMPP part (room.ts).
import { mountJoin, type JoinConfig } from "../../ui/join/join";
import { counting, languageTag, useLocale } from "../../ui/i18n";
import { openRoom } from "./room";

// the page speaks the browser's language (English when it has none of ours)
void useLocale(navigator.languages).then((locale) => {
  document.documentElement.lang = languageTag(locale);
  counting(languageTag(locale)); // Intl's locale data loaded now, not when the first person arrives
  return mountJoin(
    document.getElementById("app")!,
    location.href,
    async () => {
      const r = await fetch(new URL("config.json", location.href), { cache: "no-cache" });
      if (!r.ok) throw new Error(`config.json: ${r.status}`);
      const c = (await r.json()) as JoinConfig;
      if (typeof c.service !== "string" || !c.service) throw new Error("config.json names no service");
      return c;
    },
    openRoom,
  );
});
window.addEventListener("hashchange", () => location.reload()); // another invitation link opened here
