// Issue 24, item 4: what failed is said in the reader's language from the error's code and its
// details — never the engine's English sentence — with the add-in's real string tables.
import { fromProblem, problemOf, PROBLEM_CODES, UserFacingError } from "../../src/core/errors";
import { ConnectionError, describeFailure } from "../../src/xmpp/connection";
import { DiscoveryError, EndpointElsewhereError } from "../../src/xmpp/discovery";
import { MucError } from "../../src/xmpp/muc";
import { getMessage as t, useLocale } from "../../src/ui/i18n";
import { problemKey, problemText, reasonText, said } from "../../src/ui/problem-text";
import de from "../../src/ui/_locales/de/messages.json";
import en from "../../src/ui/_locales/en/messages.json";

const english = en as Record<string, { message: string }>;
const german = de as Record<string, { message: string }>;
const account = { service: "wss://chat.example.org/xmpp-websocket", jid: "alice@example.org", password: "x" };

afterEach(() => useLocale("en"));

describe("problemText: the page's words for what failed", () => {
  it("every code of the project has its words in English (and so, by the locales test, in all ten)", () => {
    expect(PROBLEM_CODES.filter((c) => !english[problemKey(c)])).toEqual([]);
  });

  it("a refused password in German is the German sentence, not the engine's English", async () => {
    await useLocale("de");
    const err = describeFailure({ name: "SASLError", condition: "not-authorized" }, account);
    expect(err.message).toMatch(/refused the password for alice@example.org/); // the log's sentence
    expect(problemText(err, t)).toBe(german.problem_wrong_password!.message);
    expect(german.problem_wrong_password!.message).not.toBe(english.problem_wrong_password!.message);
  });

  it("a certificate's kind of fault keeps its own remedy (expired is not untrusted)", async () => {
    await useLocale("de");
    const expired = describeFailure(new Error("certificate has expired"), account);
    const untrusted = describeFailure(new Error("self signed certificate in certificate chain"), account);
    expect(problemText(expired, t)).toBe(german.problem_tls_expired!.message);
    expect(problemText(untrusted, t)).toBe(german.problem_tls_untrusted!.message);
  });

  it("the facts an error names are put in place, in the language's order", async () => {
    await useLocale("de");
    const err = new UserFacingError("address-unconfirmed", "English", "", { jid: "mallory@evil.example", email: "bob@example.org" });
    const text = problemText(err, t);
    expect(text).toContain("mallory@evil.example");
    expect(text).toContain("bob@example.org");
    expect(text).toBe(t("problem_address_unconfirmed", "mallory@evil.example", "bob@example.org"));
    const elsewhere = new EndpointElsewhereError("example.org", "wss://evil.example/ws", "https://example.org/.well-known/host-meta");
    expect(problemText(elsewhere, t)).toContain("wss://evil.example/ws");
    expect(problemText(new DiscoveryError("example.org", "English"), t)).toContain("example.org");
  });

  it("the code and details survive the way from the background to a page (Problem and back)", async () => {
    await useLocale("de");
    const crossed = fromProblem(JSON.parse(JSON.stringify(problemOf(new DiscoveryError("example.org", "No endpoint.")))) as never);
    expect(problemText(crossed, t)).toBe(t("problem_no_endpoint", "example.org"));
  });

  it("a problem whose facts are missing (a rebuilt or forged one) is not shown with holes", async () => {
    await useLocale("de");
    expect(problemText(fromProblem({ code: "address-unconfirmed", message: "The address was only found in an email." }), t)).toBe(
      "The address was only found in an email.",
    );
  });

  it("a room's refusal is said by its meaning", async () => {
    await useLocale("de");
    expect(problemText(new MucError("registration-required", "English"), t)).toBe(german.problem_room_members_only!.message);
    expect(problemText(new MucError("undefined-condition", "English"), t)).toBe(german.problem_server_error!.message);
  });

  it("a host's own text in the reader's language is shown as it is; in another language, by its code", async () => {
    await useLocale("de");
    const own = said(t, "no-recipient", "Niemand zum Schreiben.");
    expect(problemText(own, t)).toBe("Niemand zum Schreiben.");
    const english = new UserFacingError("no-recipient", "Nobody.", "", { language: "en" });
    expect(problemText(english, t)).toBe(german.problem_no_recipient!.message);
  });

  it("anything else is 'something went wrong', with what the browser said for whoever supports it", async () => {
    await useLocale("de");
    expect(problemText(new TypeError("x is undefined"), t)).toBe(`${german.problem_internal!.message} (x is undefined)`);
  });

  it("a page with no words for a code (a host that answers the key) shows the message", () => {
    const echo = (key: string) => key;
    expect(problemText(new ConnectionError("unreachable", "Cannot reach the XMPP server."), echo)).toBe("Cannot reach the XMPP server.");
  });
});

describe("reasonText: why an IM failed, on its line", () => {
  it("a bounce the engine knows is said in the reader's language; another keeps the engine's words", async () => {
    await useLocale("de");
    expect(reasonText({ reason: "no such address on their server", reasonCode: "item-not-found" }, t)).toBe(german.reason_item_not_found!.message);
    expect(reasonText({ reason: "gave up after 3 attempts", reasonCode: "gave-up" }, t)).toBe(german.reason_gave_up!.message);
    expect(reasonText({ reason: "their server refused it (x)" }, t)).toBe("their server refused it (x)");
    expect(reasonText({ reason: "their server refused it", reasonCode: "made-up" }, t)).toBe("their server refused it");
  });
});
