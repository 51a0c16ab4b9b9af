// The user's own addresses in Thunderbird: the mail identities of their accounts. The engine's
// "me" is the first account's default identity; the account form's XMPP address is pre-filled
// with the identity an email was sent to (F26: a first run types only the password).
import { isEmail, normaliseEmail } from "../../core";

const address = (raw: string) => (isEmail(raw) ? normaliseEmail(raw) : "");

export async function ownAddress(): Promise<string> {
  for (const a of await messenger.accounts.list(false)) {
    const id = await messenger.identities.getDefault(a.id).catch(() => null); // an account without identities (news, feeds)
    if (id?.email && isEmail(id.email)) return normaliseEmail(id.email);
  }
  return "";
}

/**
 * The identity an email was sent to (To or Cc), else the default identity of the account it is
 * in, else the first account's; "" when Thunderbird has none. `read` gives the email's recipients.
 */
export async function identityFor(on: { messageId?: number }, read: (id: number) => Promise<{ to: string[] } | undefined>): Promise<string> {
  if (on.messageId) {
    const mine = (await messenger.accounts.list(false)).flatMap((a) => a.identities.map((i) => address(i.email)).filter(Boolean));
    const mail = await read(on.messageId).catch(() => undefined); // unreadable: the account's default below
    const to = new Set((mail?.to ?? []).map(address));
    const addressed = mine.find((e) => to.has(e));
    if (addressed) return addressed;
    const header = await messenger.messages.get(on.messageId).catch(() => undefined); // deleted meanwhile
    const accountId = (header as { folder?: { accountId?: string } } | undefined)?.folder?.accountId;
    const own = accountId ? await messenger.identities.getDefault(accountId).catch(() => null) : null; // an account without identities
    if (own?.email && isEmail(own.email)) return normaliseEmail(own.email);
  }
  return ownAddress();
}
