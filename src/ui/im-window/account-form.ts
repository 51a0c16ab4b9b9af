// The IM window's account form (F23): no account yet, or its password is needed again — asked
// here rather than sending the person elsewhere.
import { type ChatBackend } from "./host";
import { el } from "../dom";
import { accountFieldOf, accountFields } from "../options/account";
import { problemText } from "../problem-text";

/**
 * No account yet (or its password is needed again): ask for it here rather than sending the user
 * elsewhere — the address and the password; the server only under Advanced (F23). Sign in tests
 * and keeps it; a failure is said beside the field it concerns.
 */
export async function accountForm(root: HTMLElement, backend: ChatBackend, why: string, signedIn: () => Promise<void>) {
  const t = backend.t;
  const defaults = (await backend.accountDefaults?.().catch(() => undefined)) ?? { locked: [] };
  const form = el("form", { id: "account" });
  const status = el("p", { role: "alert", id: "account-status" }, why);
  const fields = accountFields({ t, prefix: "account-", values: { service: defaults.service, jid: defaults.jid }, locked: defaults.locked });
  fields.inputs.password.required = true;
  const save = el("button", { type: "submit", id: "account-save" }, t("signIn"));
  form.append(el("h1", {}, t("accountLegend")), status, ...fields.nodes, save);
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    save.disabled = true;
    fields.clearErrors();
    status.textContent = t("signingIn");
    try {
      await backend.configure(fields.value());
      await signedIn();
    } catch (err) {
      const field = accountFieldOf(err);
      status.textContent = field ? t("signInFailed") : problemText(err, t);
      if (field) fields.showError(field, problemText(err, t));
      save.disabled = false;
    }
  };
  form.addEventListener("submit", (e) => void submit(e));
  root.replaceChildren(form);
  document.title = t("accountLegend");
  ([fields.inputs.jid, fields.inputs.password].find((i) => !i.readOnly && !i.value) ?? fields.inputs.password).focus();
}
