// Hostile email HTML in a real browser: what the IM window would show after sanitising, and
// proof that the HTML the core builds for drafts survives DOMPurify unchanged in substance.
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { imToEmailDraft } from "../../src/core";
import { bundleForPage, launchChromium } from "../kit/browser";

let browser: Browser;
let page: Page;
const requests: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage();
  page.on("request", (r) => requests.push(r.url()));
  await page.setContent("<!DOCTYPE html><html><body><div id=out></div></body></html>");
  await page.addScriptTag({ content: await bundleForPage(join(__dirname, "../../src/ui/sanitize.ts"), "RVI") });
}, 30_000);
afterAll(() => browser?.close());

type Win = { RVI: { sanitizeEmailHtml(h: string): string } };
const show = (html: string) =>
  page.evaluate((h) => {
    const out = document.getElementById("out")!;
    out.innerHTML = (window as unknown as Win).RVI.sanitizeEmailHtml(h);
    return out.innerHTML;
  }, html);

describe("F3 hostile HTML in an email", () => {
  it("removes scripts, handlers, frames, forms and javascript: links; keeps the text", async () => {
    const shown = await show(`<p onclick="alert(1)">Hello <b>Alice</b></p><script>window.pwned=1</script>
      <img src=x onerror="window.pwned=2"><iframe src="https://evil.example/"></iframe>
      <form action="https://evil.example/"><input name=p></form><a href="javascript:alert(3)">click</a>
      <svg><script>window.pwned=3</script></svg><style>body{display:none}</style>`);
    expect(shown).toContain("Hello <b>Alice</b>");
    expect(shown).toContain(">click</a>");
    expect(shown).not.toMatch(/<script|onerror|onclick|<iframe|<form|<input|javascript:|<svg|<style/i);
    await page.waitForTimeout(50);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  });

  it("loads nothing remote when the email is shown (no read tracking)", async () => {
    requests.length = 0;
    const shown = await show(
      `<img src="https://tracker.example/pixel.gif?id=1"><a href="https://example.org/doc">doc</a><img src="data:image/png;base64,iVBORw0KGgo=">`,
    );
    await page.waitForTimeout(100);
    expect(requests.filter((u) => u.startsWith("http"))).toEqual([]);
    expect(shown).not.toContain("tracker.example");
    expect(shown).toContain('href="https://example.org/doc"');
    expect(shown).toContain('rel="noopener noreferrer"');
  });

  it("the draft HTML the core builds passes DOMPurify with its text intact", async () => {
    const draft = imToEmailDraft({ text: 'Meet at <5pm> & bring "the plan"', me: "alice@example.org", to: "bob@example.org" });
    const shown = await show(draft.html);
    const text = await page.evaluate(() => document.getElementById("out")!.textContent);
    expect(text).toContain('Meet at <5pm> & bring "the plan"');
    expect(shown).toContain("rvi-message");
  });
});
