// HTTP File Upload (XEP-0363): attachments the user chooses to send with the history are put on
// the server's upload service and linked from the history.
import { xml, type Client } from "@xmpp/client";
import { NS_UPLOAD } from "./disco";

export interface UploadFile {
  name: string;
  contentType: string;
  data: Uint8Array;
}

export function upload({ xmpp, service }: { xmpp: Client; service: { jid: string; maxSize?: number } }) {
  async function slot(file: { name: string; size: number; contentType: string }) {
    if (service.maxSize && file.size > service.maxSize) {
      throw new Error(
        `${file.name} is ${file.size} bytes; the server accepts files up to ${service.maxSize} bytes. Send a smaller file or share it another way.`,
      );
    }
    // iqCaller.get would look for a <request/> in the answer; the answer holds a <slot/>
    const res = await xmpp.iqCaller.request(
      xml(
        "iq",
        { type: "get", to: service.jid },
        xml("request", { xmlns: NS_UPLOAD, filename: file.name, size: String(file.size), "content-type": file.contentType }),
      ),
    );
    const s = res.getChild("slot", NS_UPLOAD);
    if (!s) throw new Error("The upload service gave no upload slot.");
    const put = s.getChild("put");
    const get = s.getChild("get");
    if (!put?.attrs.url || !get?.attrs.url) throw new Error("The upload service gave no upload address.");
    const headers: Record<string, string> = {};
    for (const h of put.getChildren("header")) {
      // XEP-0363 allows only these headers; anything else is dropped
      if (h.attrs.name && /^(authorization|cookie|expires)$/i.test(h.attrs.name)) headers[h.attrs.name] = h.text();
    }
    return { put: put.attrs.url, get: get.attrs.url, headers };
  }

  /** Uploads and returns the download URL. */
  async function send(file: UploadFile): Promise<string> {
    const s = await slot({ name: file.name, size: file.data.byteLength, contentType: file.contentType });
    const res = await fetch(s.put, { method: "PUT", body: file.data as unknown as BodyInit, headers: { ...s.headers, "content-type": file.contentType } });
    if (!res.ok) throw new Error(`Uploading ${file.name} failed: the server answered ${res.status}.`);
    return s.get;
  }

  return { slot, send };
}
