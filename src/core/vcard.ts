// Address-book cards (F2): the IM addresses and email addresses a vCard carries, read with
// ical.js as Thunderbird itself does. A card that does not parse yields nothing, not an error.
import ICAL from "ical.js";
import { isEmail, isJid, normaliseEmail, normaliseJid } from "./address";

export interface CardAddresses {
  emails: string[];
  jids: string[];
}

function values(component: ICAL.Component, name: string): string[] {
  return component.getAllProperties(name).flatMap((p) => p.getValues().map((v) => String(v)));
}

export function readCard(vcard: string): CardAddresses {
  let component: ICAL.Component;
  try {
    component = new ICAL.Component(ICAL.parse(vcard) as unknown as unknown[]);
  } catch {
    return { emails: [], jids: [] };
  }
  const emails = values(component, "email").filter(isEmail).map(normaliseEmail);
  const jids = [...values(component, "impp"), ...values(component, "x-jabber")]
    .filter((v) => /^xmpp:/i.test(v) || !/^[a-z][a-z0-9+.-]*:/i.test(v))
    .filter(isJid)
    .map(normaliseJid);
  return { emails: [...new Set(emails)], jids: [...new Set(jids)] };
}
