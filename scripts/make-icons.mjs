#!/usr/bin/env node
// Renders assets/*.svg to the PNG sizes the manifests name, in headless Chromium, so the PNGs
// are reproducible from the committed SVGs. Run after changing an SVG; the PNGs are committed.
import { readFile, writeFile } from "node:fs/promises";
import { chromium } from "playwright-core";

const SETS = { icon: [16, 32, 64, 80, 128], "embed-im": [16, 32, 64, 80] };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
try {
  const page = await browser.newPage();
  for (const [name, sizes] of Object.entries(SETS)) {
    const svg = await readFile(new URL(`../assets/${name}.svg`, import.meta.url), "utf8");
    for (const size of sizes) {
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(
        `<html><body style="margin:0;background:transparent">${svg.replace("<svg ", `<svg width="${size}" height="${size}" `)}</body></html>`,
      );
      const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
      await writeFile(new URL(`../assets/${name}-${size}.png`, import.meta.url), png);
      console.log(`assets/${name}-${size}.png ${png.length} B`);
    }
  }
} finally {
  await browser.close();
}
