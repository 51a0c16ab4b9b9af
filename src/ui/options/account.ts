// The XMPP account's fields, the same in the IM window's form and in Options (F23): the address
// and the password; the server's address behind "Advanced" (found from the domain otherwise),
// closed unless the person set one; a server IT preset is shown, locked, and no Advanced is
// offered. A failure is said beside the field it concerns, decided on its code (never its wording).
import { problemOf, type ProblemCode } from "../../core/errors";
import { el } from "../dom";

export type AccountField = "service" | "jid" | "password";
export interface AccountValues {
  service: string;
  jid: string;
  password: string;
}

/** The field an account failure concerns: the password refused, the address malformed, the server not found or not reachable. */
const FIELD_OF: Partial<Record<ProblemCode, AccountField>> = {
  "wrong-password": "password",
  "needs-password": "password",
  "invalid-jid": "jid",
  "no-endpoint": "service",
  "bad-service": "service",
  "insecure-transport": "service",
  unreachable: "service",
  tls: "service",
  timeout: "service",
  "stream-closed": "service",
  // the server found or answering is not one to trust with the password: the service field, saying why
  "endpoint-elsewhere": "service",
  "plain-after-scram": "service",
};

export function accountFieldOf(err: unknown): AccountField | undefined {
  return FIELD_OF[problemOf(err).code];
}

export interface AccountFieldsOptions {
  t: (key: string, ...subs: string[]) => string;
  /** Prefix of the inputs' ids: "account-" in the IM window, "" in Options. */
  prefix: string;
  values: Partial<AccountValues>;
  locked: readonly string[];
}

export function accountFields({ t, prefix, values, locked }: AccountFieldsOptions) {
  const inputs = {} as Record<AccountField, HTMLInputElement>;
  const errors = {} as Record<AccountField, HTMLElement>;
  const row = (name: AccountField, type: string, hint: string, autocomplete: string) => {
    const id = `${prefix}${name}`;
    const input = el("input", { id, name, type, placeholder: hint, autocomplete, spellcheck: "false", "aria-describedby": `${id}-error` });
    const value = values[name];
    if (value) input.value = value;
    // a field IT preset is shown, not editable (and skipped by Tab)
    if (locked.includes(name)) {
      input.readOnly = true;
      input.tabIndex = -1;
      input.title = t("lockedByAdmin");
    }
    inputs[name] = input;
    // read with the field (aria-describedby) when the failure moves the focus there
    errors[name] = el("p", { id: `${id}-error`, class: "error field-error" });
    return [el("label", { for: id }, t(`${name}Label`)), input, errors[name]];
  };
  const nodes: HTMLElement[] = [...row("jid", "text", "you@example.org", "username"), ...row("password", "password", "", "current-password")];
  const server = row("service", "url", "wss://chat.example.org/xmpp-websocket", "off");
  let advanced: HTMLDetailsElement | undefined;
  if (locked.includes("service")) nodes.push(...server);
  else {
    advanced = el("details", { id: `${prefix}advanced` });
    // open when the person typed a server before: what is set is never hidden
    advanced.open = !!values.service;
    advanced.append(el("summary", {}, t("advanced")), el("p", { class: "muted" }, t("serviceHint")), ...server);
    nodes.push(advanced);
  }
  inputs.jid.required = true;

  return {
    nodes,
    inputs,
    value: (): AccountValues => ({ service: inputs.service.value.trim(), jid: inputs.jid.value.trim(), password: inputs.password.value }),
    clearErrors() {
      for (const name of Object.keys(errors) as AccountField[]) {
        errors[name].textContent = "";
        inputs[name].removeAttribute("aria-invalid");
      }
    },
    /** Says `message` beside `field` (Advanced opened for the server) and focuses that field. */
    showError(field: AccountField, message: string) {
      if (field === "service" && advanced) advanced.open = true;
      errors[field].textContent = message;
      inputs[field].setAttribute("aria-invalid", "true");
      if (!inputs[field].readOnly) inputs[field].focus();
    },
  };
}
