// F17, standalone IM: the contacts view, shared by the hosts — requests first (strangers' IMs and
// presence requests, F14: they wait here until accepted or refused), then the roster with presence
// and what each side shares, a Chat button per person, Remove (with Undo), and Add by address.
// Text is set as text only; every action is a button reachable by Tab.
import type { ContactsView } from "../../engine/engine";
import { el } from "../dom";
import { avatar, isolate, personLabel, said } from "../theme/people";
import { markBidi } from "../bidi";
import { problemText } from "../problem-text";

export interface ContactsBackend {
  list(): Promise<ContactsView>;
  add(address: string): Promise<void>;
  remove(jid: string): Promise<void>;
  accept(jid: string): Promise<void>;
  refuse(jid: string): Promise<void>;
  /** Opens the conversation with this person (the IM window / the pane's chat). */
  chat(jid: string): void;
  /** Called whenever contacts, presence or requests change. */
  subscribe(fn: () => void): void;
  /** Called unbound (`const t = backend.t`): a function property, not a method. */
  t: (key: string, ...subs: string[]) => string;
}

export async function mountContacts(root: HTMLElement, backend: ContactsBackend): Promise<void> {
  const t = backend.t;
  const status = el("p", { id: "contacts-status", role: "status", "aria-live": "polite" });
  const say = (s: string) => (status.textContent = s);
  const requests = el("section", { id: "requests", "aria-labelledby": "requests-title" });
  const contacts = el("section", { id: "contacts", "aria-labelledby": "contacts-title" });
  const address = el("input", { id: "add-address", type: "text", autocomplete: "off", placeholder: "bob@example.org", "aria-label": t("contactAddress") });
  const add = el(
    "form",
    { id: "add-contact" },
    el("label", { for: "add-address" }, t("contactAdd")),
    address,
    el("button", { type: "submit" }, t("contactAddButton")),
  );
  root.replaceChildren(requests, contacts, add, status);

  // each async handler says its own failure in the status line; the listener only starts it
  const act = (button: HTMLButtonElement, work: () => Promise<void>, done: string | (() => void)) => {
    const run = async () => {
      button.disabled = true;
      try {
        await work();
        if (typeof done === "string") say(done);
        else done();
        await render();
      } catch (err) {
        say(problemText(err, t));
        button.disabled = false;
      }
    };
    button.addEventListener("click", () => void run());
  };

  async function render() {
    let view: ContactsView;
    try {
      view = await backend.list();
    } catch (err) {
      say(problemText(err, t));
      return;
    }
    // a refresh (presence, a new request) must not take the keyboard focus away: remember where it was
    const focused = document.activeElement as HTMLElement | null;
    const row = focused?.closest("li[data-jid]")?.getAttribute("data-jid");
    const kind = focused?.tagName === "BUTTON" ? focused.className : "";
    const section = focused?.closest("section")?.id;
    requests.replaceChildren(el("h2", { id: "requests-title" }, t("requestsTitle", String(view.requests.length))));
    if (!view.requests.length) requests.append(el("p", { class: "muted" }, t("requestsEmpty")));
    const rl = el("ul", { class: "people" });
    for (const r of view.requests) {
      const accept = el("button", { type: "button", class: "accept", "aria-label": t("requestAcceptOf", r.from) }, t("requestAccept"));
      const refuse = el("button", { type: "button", class: "refuse", "aria-label": t("requestRefuseOf", r.from) }, t("requestRefuse"));
      act(accept, () => backend.accept(r.from), t("requestAccepted", r.from));
      act(refuse, () => backend.refuse(r.from), t("requestRefused", r.from));
      const what = r.count ? t("requestIms", String(r.count), isolate(markBidi(r.text))) : t("requestPresence");
      rl.append(
        el(
          "li",
          { "data-jid": r.from },
          avatar(undefined, r.from, "s"),
          el("span", { class: "person" }, said("b", "", markBidi(r.from)), " ", el("span", { class: "muted" }, what)),
          accept,
          refuse,
        ),
      );
    }
    if (view.requests.length) requests.append(rl);
    // the lists are bounded: what was dropped to keep them so is said, not hidden
    if (view.dropped) requests.append(el("p", { class: "muted", id: "requests-dropped" }, t("requestsDropped", String(view.dropped))));

    contacts.replaceChildren(el("h2", { id: "contacts-title" }, t("contactsTitle")));
    if (!view.contacts.length) contacts.append(el("p", { class: "muted" }, t("contactsEmpty")));
    const cl = el("ul", { class: "people" });
    for (const c of view.contacts) {
      const chat = el("button", { type: "button", class: "chat", "aria-label": t("contactChatWith", c.jid) }, t("contactChat"));
      chat.addEventListener("click", () => backend.chat(c.jid));
      const remove = el("button", { type: "button", class: "remove", "aria-label": t("contactRemoveOf", c.jid) }, t("contactRemove"));
      act(
        remove,
        () => backend.remove(c.jid),
        () => {
          // cheap undo: add them again (they are asked again, as a new contact would be)
          const undo = el("button", { type: "button", id: "undo-remove" }, t("undo"));
          const addBack = async () => {
            undo.remove();
            try {
              await backend.add(c.jid);
              say(t("contactAdded", c.jid));
              await render();
            } catch (err) {
              say(problemText(err, t));
            }
          };
          undo.addEventListener("click", () => void addBack());
          status.replaceChildren(t("contactRemoved", c.jid), " ", undo);
        },
      );
      const sharing = c.waiting ? t("subscriptionWaiting") : t(`subscription_${c.subscription}`);
      // the person by name, the address under it, smaller; presence and what each side shares beside
      cl.append(
        el(
          "li",
          { "data-jid": c.jid, class: c.online ? "online" : "offline" },
          avatar(c.name, c.jid),
          el(
            "span",
            { class: "person" },
            ...personLabel(c.name && markBidi(c.name), c.jid),
            el("span", { class: c.online ? "presence online" : "presence offline" }, c.online ? t("online") : t("offline")),
            " ",
            el("span", { class: "sharing" }, sharing),
          ),
          chat,
          remove,
        ),
      );
    }
    if (view.contacts.length) contacts.append(cl);
    if (row && kind && section) {
      const again = document.querySelector<HTMLElement>(`#${section} li[data-jid="${CSS.escape(row)}"] button.${CSS.escape(kind)}`);
      if (again && !again.hasAttribute("disabled")) again.focus();
    }
  }

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const a = address.value.trim();
    if (!a) return address.focus();
    try {
      await backend.add(a);
      say(t("contactAdded", a));
      address.value = "";
      await render();
    } catch (err) {
      say(problemText(err, t));
      address.focus();
    }
  };
  add.addEventListener("submit", (e) => void submit(e));

  let queued = false;
  backend.subscribe(() => {
    if (queued) return;
    queued = true;
    setTimeout(() => {
      queued = false;
      void render();
    }, 100);
  });
  await render();
}
