// The engine bench's ends as Chromium pages (bench/engine-page.ts): each in a browser context of
// its own, the engine on the browser's IndexedDB (the product's runtime: the Outlook pane is a
// Chromium page, Thunderbird's background page a Firefox one), the bare client beside it.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { launchBenchChromium, pageBundle, ROOT } from "./browser";
import type { EndSpec } from "./engine-pairs";
import type { RemotePair } from "./engine-worker";
import { legs } from "./wire";

type PageEnd = typeof import("./engine-page").benchEnd;
type Marks = [string, number][];

/** A browser and a loopback page that carries the end's script. */
export async function pagesHost(): Promise<{ browser: Browser; url: string; close(): Promise<void> }> {
  const js = await pageBundle({ entry: resolve(ROOT, "bench/engine-page.ts") });
  const server: Server = createServer((req, res) => {
    if (req.url === "/end.js") res.writeHead(200, { "content-type": "text/javascript" }).end(js);
    else res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><meta charset="utf-8"><title>end</title><script src="/end.js"></script>`);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const browser = await launchBenchChromium(["--disable-renderer-backgrounding", "--disable-background-timer-throttling"]);
  return {
    browser,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    async close() {
      await browser.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Starts a pair (sender → receiver), each end in a page of its own browser context. */
export async function pairInPages(
  host: { browser: Browser; url: string },
  kind: "engine" | "bare",
  server: { service: string; domain: string },
  [a, b]: [string, string],
  passwords: Record<string, string>,
): Promise<RemotePair> {
  const pages: Page[] = [];
  const call = <T>(p: Page, name: keyof PageEnd, arg?: unknown) =>
    p.evaluate(([n, x]) => (window as unknown as { benchEnd: Record<string, (y: unknown) => unknown> }).benchEnd[n as string]!(x), [
      name,
      arg,
    ] as const) as Promise<T>;
  try {
    for (const [me, peer, role] of [
      [a, b, "sender"],
      [b, a, "receiver"],
    ] as const) {
      const page = await (await host.browser.newContext()).newPage();
      pages.push(page);
      await page.goto(host.url);
      await call(page, "start", { kind, role, ...server, me, peer, password: passwords[me]! } satisfies EndSpec);
    }
    await Promise.all(pages.map((p) => call(p, "pairUp")));
  } catch (e) {
    await Promise.allSettled(pages.map((p) => p.context().close()));
    throw e;
  }
  const [sender, receiver] = pages as [Page, Page];
  return {
    async round(i) {
      await call(receiver, "mark", i);
      const s = await call<{ ms: number; marks: Marks }>(sender, "round", i);
      const r = await call<Marks>(receiver, "marks");
      const m = new Map([...r.filter(([k]) => k !== "start"), ...s.marks]);
      return { ms: s.ms, legs: legs(m, a, b, m.get("start")! + s.ms), busy: NaN };
    },
    async spent() {
      const out: Record<string, Map<string, number[]>> = {};
      for (const [who, p] of [
        [a, sender],
        [b, receiver],
      ] as const)
        out[who] = new Map(await call<[string, number[]][]>(p, "spent"));
      return out;
    },
    async stop() {
      await Promise.allSettled(pages.map((p) => call(p, "stop")));
      await Promise.allSettled(pages.map((p) => p.context().close()));
    },
  };
}
