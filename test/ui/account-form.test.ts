// F23 the account form in the IM window, in real Chromium, by keyboard as a person would: the
// address and the password first, the server only under Advanced, IT's locked fields, and the
// form's errors. The host is a stand-in (test/ui/im-window-page.ts), as in test/ui/im-window.test.ts.
import type { Page } from "playwright-core";
import { chatWindowSuite } from "./im-window-page";
import type { ChatPage } from "./pages";

const suite = chatWindowSuite();
let page: Page;
afterEach(() => page?.context().close());

/** The IM window on a stand-in host (test/ui/im-window-page.ts), as the page the tests below drive. */
async function openWindow(...args: Parameters<typeof suite.open>) {
  page = await suite.open(...args);
}
const focused = () => page.evaluate(() => document.activeElement?.id ?? document.activeElement?.tagName);
const calls = () => page.evaluate(() => (window as unknown as ChatPage).calls);

describe("F23 the account form: the address and the password; the server only under Advanced", () => {
  it("asks for the address and the password only, by keyboard; Sign in tests and keeps them, then the chat opens", async () => {
    await openWindow(true, true);
    expect(await page.textContent("#account-status")).toBe("No XMPP account is set up.");
    expect(await page.isVisible("#account-service")).toBe(false); // behind Advanced, closed
    expect(await page.getAttribute("#account-advanced", "open")).toBeNull();
    expect(await focused()).toBe("account-jid");
    await page.keyboard.type("alice@example.org");
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("account-password");
    await page.keyboard.type("secret");
    await page.keyboard.press("Tab"); // the closed Advanced is next, then Sign in
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("SUMMARY");
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("account-save");
    expect(await page.textContent("#account-save")).toBe("signIn");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#to");
    expect(await calls()).toEqual([["configure", { service: "", jid: "alice@example.org", password: "secret" }]]);
  });

  it("a server not found is said under Advanced, opened on the server field; typed there, it signs in", async () => {
    await openWindow(true, true);
    const notFound =
      "No XMPP WebSocket address was found for example.org (https://example.org/.well-known/host-meta.json: HTTP 404). Type the server's address under Advanced, or ask your administrator to publish …";
    await page.evaluate((message) => void ((window as unknown as ChatPage).configureFails = [{ code: "no-endpoint", message }]), notFound);
    await page.keyboard.type("alice@example.org");
    await page.keyboard.press("Tab");
    await page.keyboard.type("secret");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.getElementById("account-service-error")?.textContent);
    expect(await page.textContent("#account-service-error")).toBe(notFound);
    expect(await page.getAttribute("#account-service", "aria-invalid")).toBe("true");
    expect(await page.getAttribute("#account-advanced", "open")).not.toBeNull();
    expect(await page.textContent("#account-status")).toBe("signInFailed");
    expect(await page.textContent("#account-password-error")).toBe("");
    expect(await focused()).toBe("account-service"); // where the fix goes
    await page.keyboard.type("wss://chat.example.org/xmpp-websocket");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#to");
    expect((await calls())[1]).toEqual(["configure", { service: "wss://chat.example.org/xmpp-websocket", jid: "alice@example.org", password: "secret" }]);
  });

  it.each([
    [
      "endpoint-elsewhere",
      "The WebSocket example.org's host-meta names is on another domain (wss://evil.example.net/ws): it was not used. Type the server's address under Advanced, or ask your administrator.",
    ],
    [
      "plain-after-scram",
      "The XMPP server at wss://chat.example.org/xmpp-websocket now offers only PLAIN, which would hand it the password itself, although it logged in by SCRAM before. The password was not sent; ask your administrator.",
    ],
  ])("a server not to trust with the password (%s) is said on the server field, the password kept back", async (code, message) => {
    await openWindow(true, true);
    await page.evaluate((fail) => void ((window as unknown as ChatPage).configureFails = [fail]), { code, message });
    await page.keyboard.type("alice@example.org");
    await page.keyboard.press("Tab");
    await page.keyboard.type("secret");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.getElementById("account-service-error")?.textContent);
    expect(await page.textContent("#account-service-error")).toBe(message);
    expect(await page.getAttribute("#account-advanced", "open")).not.toBeNull();
    expect(await focused()).toBe("account-service");
    expect(await page.inputValue("#account-password")).toBe("secret"); // nothing typed is lost
  });

  it("Advanced opens by keyboard on the server field; a wrong password is said beside the password", async () => {
    await openWindow(true, true);
    const refused =
      "The XMPP server at wss://chat.example.org/xmpp-websocket refused the password for alice@example.org: check the XMPP address and password in the add-in's account settings.";
    await page.evaluate((message) => void ((window as unknown as ChatPage).configureFails = [{ code: "wrong-password", message }]), refused);
    await page.keyboard.type("alice@example.org");
    await page.keyboard.press("Tab");
    await page.keyboard.type("not it");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter"); // on Advanced: it opens, the server field is next
    expect(await page.getAttribute("#account-advanced", "open")).not.toBeNull();
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("account-service");
    await page.keyboard.type("wss://chat.example.org/xmpp-websocket");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.getElementById("account-password-error")?.textContent);
    expect(await page.textContent("#account-password-error")).toBe(refused);
    expect(await page.textContent("#account-service-error")).toBe("");
    expect(await focused()).toBe("account-password");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("secret");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#to");
    expect((await calls())[1]).toEqual(["configure", { service: "wss://chat.example.org/xmpp-websocket", jid: "alice@example.org", password: "secret" }]);
  });

  it("a server IT preset is shown locked, with no Advanced; one the person typed before keeps Advanced open", async () => {
    await openWindow(true, true, { service: "wss://chat.example.org/xmpp-websocket", jid: "alice@example.org", locked: ["service"] });
    expect(await page.isVisible("#account-service")).toBe(true);
    expect(await page.inputValue("#account-service")).toBe("wss://chat.example.org/xmpp-websocket");
    expect(await page.getAttribute("#account-service", "readonly")).not.toBeNull();
    expect(await page.getAttribute("#account-service", "title")).toBe("lockedByAdmin");
    expect(await page.locator("#account-advanced").count()).toBe(0);
    expect(await focused()).toBe("account-password"); // the address is known, the password is next
    await page.keyboard.type("secret");
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("account-save"); // the locked server is skipped
    await page.keyboard.press("Enter");
    await page.waitForSelector("#to");
    expect(await calls()).toEqual([["configure", { service: "wss://chat.example.org/xmpp-websocket", jid: "alice@example.org", password: "secret" }]]);
    await page.close();

    await openWindow(true, true, { service: "wss://own.example.org/ws", jid: "alice@example.org", locked: [] });
    expect(await page.getAttribute("#account-advanced", "open")).not.toBeNull();
    expect(await page.inputValue("#account-service")).toBe("wss://own.example.org/ws");
    expect(await page.getAttribute("#account-service", "readonly")).toBeNull();
  });
});

// What people send is theirs to write, not to lay out: a word of 20,000 letters wraps inside the
// window, and a right-to-left override (U+202E) stays inside its own message — "gnp.exe harmless"
// must not turn what is around it into "sselmrah exe.png" — and is not obeyed inside it either:
// it is shown as a mark, the text reading as typed (issue 21, item 10).
