// The windows' one way to ask the background page: a command in, `{ ok, value | error }` back,
// errors rethrown as Errors the window can show.
export async function call<T>(msg: Record<string, unknown>): Promise<T> {
  const r = (await messenger.runtime.sendMessage(msg)) as { ok: boolean; value?: T; error?: string } | undefined;
  if (!r) throw new Error(messenger.i18n.getMessage("noBackground"));
  if (!r.ok) throw new Error(r.error);
  return r.value as T;
}
