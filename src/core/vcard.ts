// Address-book cards (F2): the IM addresses and email addresses a vCard carries, read with
// ical.js as Thunderbird itself does. A card that does not parse yields nothing, not an error.
// ical.js (~80 KB) is loaded on the first card read, not with the page: most IMs are sent
// without an address-book card to read (in Outlook, never), so the pages start without it.
import type ICALModule from "ical.js";
import { isEmail, isJid, normaliseEmail, normaliseJid } from "./address";

type ICAL = typeof ICALModule;

export interface CardAddresses {
  emails: string[];
  jids: string[];
  /** The card's formatted name (FN), when it has one. */
  name?: string;
}

let ical: Promise<ICAL> | undefined;
const loadIcal = () => (ical ??= import("ical.js").then((m) => m.default));

function values(component: InstanceType<ICAL["Component"]>, name: string): string[] {
  return component.getAllProperties(name).flatMap((p) => p.getValues().map((v) => String(v)));
}

export async function readCard(vcard: string): Promise<CardAddresses> {
  const ICAL = await loadIcal();
  let component: InstanceType<ICAL["Component"]>;
  try {
    const jcal: unknown = ICAL.parse(vcard); // typed `any` by ical.js
    component = new ICAL.Component(jcal as unknown[]);
  } catch {
    return { emails: [], jids: [] };
  }
  const emails = values(component, "email").filter(isEmail).map(normaliseEmail);
  const jids = [...values(component, "impp"), ...values(component, "x-jabber")]
    .filter((v) => /^xmpp:/i.test(v) || !/^[a-z][a-z0-9+.-]*:/i.test(v))
    .filter(isJid)
    .map(normaliseJid);
  const fn = component.getFirstPropertyValue("fn");
  return { emails: [...new Set(emails)], jids: [...new Set(jids)], ...(typeof fn === "string" && fn.trim() ? { name: fn.trim() } : {}) };
}
