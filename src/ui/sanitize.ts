// Every piece of HTML shown in a page goes through here: email bodies with DOMPurify (scripts,
// handlers, forms, frames and remote content removed: an opened email must not phone home).
import DOMPurify, { type Config } from "dompurify";

const EMAIL_CONFIG: Config = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ["style", "form", "input", "button", "textarea", "select", "iframe", "frame", "object", "embed", "link", "meta", "base", "svg", "math"],
  FORBID_ATTR: ["style", "srcset", "background", "action", "formaction", "ping"],
  ALLOW_DATA_ATTR: false,
};

let hooked = false;
function hook(purify: typeof DOMPurify) {
  if (hooked) return;
  hooked = true;
  purify.addHook("afterSanitizeAttributes", (el) => {
    // remote images and other remote resources would tell the sender the mail was read
    if (el.hasAttribute?.("src") && !/^(data:image\/|cid:)/i.test(el.getAttribute("src") ?? "")) el.removeAttribute("src");
    if (el.tagName === "A") {
      const href = el.getAttribute("href") ?? "";
      if (!/^(https?:|mailto:|xmpp:)/i.test(href)) el.removeAttribute("href");
      el.setAttribute("rel", "noopener noreferrer");
      el.setAttribute("target", "_blank");
    }
  });
}

/** Sanitised HTML for an email body, as a string to assign to innerHTML. */
export function sanitizeEmailHtml(html: string): string {
  hook(DOMPurify);
  return DOMPurify.sanitize(html, EMAIL_CONFIG);
}

/** For HTML the add-in built itself (from escaped text): still purified, on the same rules. */
export const sanitizeOwnHtml = sanitizeEmailHtml;
