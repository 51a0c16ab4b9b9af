// Service discovery (XEP-0030): what the server offers that the add-in needs, for the doctor
// command and the options page (F20), and our own features for other clients to see.
import { xml, type Client } from "@xmpp/client";
import { NS_CARBONS } from "./carbons";
import { NS_MAM } from "./mam";
import { NS_RECEIPTS } from "./receipts";
import { NS_CHATSTATES } from "./chat";
import { NS_HISTORY } from "./history-payload";

const NS_INFO = "http://jabber.org/protocol/disco#info";
const NS_ITEMS = "http://jabber.org/protocol/disco#items";
export const NS_UPLOAD = "urn:xmpp:http:upload:0";
export const NS_MUC = "http://jabber.org/protocol/muc";

export interface DiscoInfo {
  identities: { category: string; type: string; name?: string }[];
  features: string[];
  fields: Record<string, string>;
}

export interface ServerSupport {
  websocket: true;
  streamManagement: boolean;
  mam: boolean;
  /** The user's archive keeps every IM (MAM, default "always"): the engine learns it after disco. */
  archivesAll?: boolean;
  carbons: boolean;
  muc?: string;
  upload?: { jid: string; maxSize?: number };
}

export const OUR_FEATURES = [NS_INFO, NS_RECEIPTS, NS_CHATSTATES, "urn:xmpp:forward:0", NS_HISTORY, "jabber:x:conference"];

export function disco({ xmpp }: { xmpp: Client }) {
  xmpp.iqCallee.get(NS_INFO, "query", () =>
    xml(
      "query",
      { xmlns: NS_INFO },
      xml("identity", { category: "client", type: "pc", name: "Reply via IM" }),
      ...OUR_FEATURES.map((f) => xml("feature", { var: f })),
    ),
  );

  async function info(jid?: string): Promise<DiscoInfo> {
    const q = await xmpp.iqCaller.get(xml("query", { xmlns: NS_INFO }), jid);
    const fields: Record<string, string> = {};
    for (const f of q.getChild("x", "jabber:x:data")?.getChildren("field") ?? []) if (f.attrs.var) fields[f.attrs.var] = f.getChildText("value") ?? "";
    return {
      identities: q.getChildren("identity").map((i) => ({ category: i.attrs.category ?? "", type: i.attrs.type ?? "", name: i.attrs.name })),
      features: q.getChildren("feature").map((f) => f.attrs.var ?? ""),
      fields,
    };
  }
  async function items(jid?: string): Promise<string[]> {
    const q = await xmpp.iqCaller.get(xml("query", { xmlns: NS_ITEMS }), jid);
    return q
      .getChildren("item")
      .map((i) => i.attrs.jid ?? "")
      .filter(Boolean);
  }

  async function support(): Promise<ServerSupport> {
    const domain = xmpp.jid!.domain;
    // the account's own disco#info tells of a per-user archive; a server that does not answer it
    // simply has none (the server's own features are asked as well)
    const [server, account] = await Promise.all([info(domain), info(xmpp.jid!.bare().toString()).catch(() => undefined)]);
    const out: ServerSupport = {
      websocket: true,
      streamManagement: xmpp.streamManagement.enabled,
      mam: Boolean(account?.features.includes(NS_MAM) || server.features.includes(NS_MAM)),
      carbons: server.features.includes(NS_CARBONS),
    };
    // services (MUC, upload) are optional: a server that lists none, or one that does not answer
    // about itself, is a server without that service, which the doctor and the UI say plainly
    for (const jid of await items(domain).catch(() => [])) {
      const i = await info(jid).catch(() => undefined);
      if (!i) continue;
      if (!out.muc && i.identities.some((x) => x.category === "conference" && x.type === "text")) out.muc = jid;
      if (!out.upload && i.features.includes(NS_UPLOAD)) {
        const max = Number(i.fields["max-file-size"]);
        out.upload = { jid, maxSize: Number.isFinite(max) && max > 0 ? max : undefined };
      }
    }
    return out;
  }

  return { info, items, support };
}
export type Disco = ReturnType<typeof disco>;
