// F10 options in the invite UIs (Thunderbird's popup, Outlook's compose pane): who can join the
// session — anyone with the link (the default), only the invited XMPP addresses, and/or with a
// room password. The session exists already; Apply changes it and the invitation's text follows.
import { el } from "./dom";
import { problemText } from "./problem-text";
type T = (key: string, ...subs: string[]) => string;
export interface Access {
  membersOnly: boolean;
  password?: string;
}

/** A password people can read out on the phone: three short words' worth of letters and digits. */
function suggestPassword(): string {
  const abc = "abcdefghjkmnpqrstuvwxyz23456789";
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return [...bytes]
    .map((b) => abc[b % abc.length])
    .join("")
    .replace(/(.{4})(?!$)/g, "$1-");
}

/**
 * Builds the fieldset into `root` (disabled until `enable()`); `apply` changes the session and
 * resolves when done. Returns the controls the page needs.
 */
export function mountAccess(root: HTMLElement, t: T, apply: (a: Access) => Promise<void>) {
  const membersOnly = el("input", { type: "checkbox", id: "members-only" });
  const usePassword = el("input", { type: "checkbox", id: "use-password" });
  const password = el("input", { type: "text", id: "room-password", autocomplete: "off", spellcheck: "false", "aria-label": t("accessPassword") });
  const button = el("button", { type: "button", id: "access-apply" }, t("accessApply"));
  const status = el("p", { id: "access-status", class: "muted", role: "status", "aria-live": "polite" });
  const set = el(
    "fieldset",
    { id: "access" },
    el("legend", {}, t("accessLegend")),
    el("label", {}, membersOnly, " ", t("accessMembersOnly")),
    el("label", {}, usePassword, " ", t("accessWithPassword")),
    password,
    button,
    status,
  );
  password.hidden = true;
  set.disabled = true;
  usePassword.addEventListener("change", () => {
    password.hidden = !usePassword.checked;
    if (usePassword.checked && !password.value) password.value = suggestPassword();
  });
  password.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      button.click();
    }
  });
  // a failure to apply is said in the status line; the listener only starts the work
  const applyAccess = async () => {
    const access: Access = { membersOnly: membersOnly.checked, password: usePassword.checked ? password.value.trim() : undefined };
    if (usePassword.checked && !access.password) {
      status.textContent = t("accessPasswordEmpty");
      return password.focus();
    }
    set.disabled = true;
    status.textContent = t("accessApplying");
    try {
      await apply(access);
      const parts = [access.membersOnly ? t("accessNowMembersOnly") : t("accessNowAnyone")];
      if (access.password) parts.push(t("accessNowPassword", access.password));
      status.textContent = parts.join(" ");
    } catch (err) {
      status.textContent = problemText(err, t);
    } finally {
      set.disabled = false;
    }
  };
  button.addEventListener("click", () => void applyAccess());
  root.append(set);
  return { enable: () => void (set.disabled = false) };
}
