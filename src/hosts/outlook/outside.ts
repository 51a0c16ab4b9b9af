// A pane opened outside Outlook (a shared link, a bookmark, IT checking the host): Office.js then
// resolves Office.onReady with no host, or never loaded at all. The page says what it is and where
// it works, with the help page beside it, instead of waiting or showing an error.
import { el } from "../../ui/dom";
import { getMessage as t } from "../../ui/i18n";

/** The paragraph shown in place of the pane: what Reply via IM is, where it works, and a link to its help page. */
export function outsideOutlook(): HTMLElement {
  const p = el("p", { id: "outside-outlook", role: "status" }, t("outsideOutlook"), " ");
  p.append(el("a", { href: new URL("support.html", location.href).toString(), target: "_blank", rel: "noopener" }, t("outsideOutlookHelp")));
  return p;
}

/** Office.js could not be loaded (blocked, offline): the page cannot be inside Outlook either. */
export function officeLoaded(): boolean {
  return typeof Office !== "undefined" && typeof Office.onReady === "function";
}
