#!/usr/bin/env node
// Offline check of an Outlook manifest.xml (F20): XSD validation against the 2019 Office
// schemas with libxml2 (xmllint-wasm), plus what the XSDs cannot say — every resid resolves,
// every URL is HTTPS. Usage: node scripts/validate-outlook-manifest.mjs [manifest.xml] [--schemas DIR]
import { readFile, readdir } from "node:fs/promises";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { validateXML } from "xmllint-wasm";

const HERE = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_SCHEMAS = resolve(HERE, "..", "..", "shared", "schemas", "office-manifest");

export async function validateOutlookManifest(xml, { schemas = DEFAULT_SCHEMAS } = {}) {
  const problems = [];
  const files = (await readdir(schemas)).filter((f) => f.endsWith(".xsd"));
  const main = "OfficeAppManifestV1_1.xsd";
  const load = async (f) => ({ fileName: f, contents: await readFile(join(schemas, f), "utf8") });
  const result = await validateXML({
    xml: [{ fileName: "manifest.xml", contents: xml }],
    schema: [await load(main)],
    preload: await Promise.all(files.filter((f) => f !== main).map(load)),
  });
  if (!result.valid) for (const e of result.errors) problems.push(`XSD: ${e.rawMessage ?? e.message ?? e}`);

  const ids = new Set([...xml.matchAll(/<bt:(?:Image|Url|String)\s+id="([^"]+)"/g)].map((m) => m[1]));
  for (const [, id] of xml.matchAll(/resid="([^"]+)"/g)) if (!ids.has(id)) problems.push(`dangling resid: ${id}`);
  const body = xml.replace(/<!--[\s\S]*?-->/g, "");
  for (const [, url] of body.matchAll(/(?:DefaultValue|<AppDomain>|<SourceLocation[^>]*DefaultValue)="?(https?:\/\/[^"<\s]+)/g)) {
    if (!url.startsWith("https://")) problems.push(`not HTTPS: ${url}`);
  }
  return { valid: problems.length === 0, problems };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const i = args.indexOf("--schemas");
  const schemas = i >= 0 ? args.splice(i, 2)[1] : DEFAULT_SCHEMAS;
  const file = args[0] ?? "manifest.xml";
  const { valid, problems } = await validateOutlookManifest(await readFile(file, "utf8"), { schemas });
  for (const p of problems) console.error(`${file}: ${p}`);
  console.log(valid ? `${file}: valid` : `${file}: ${problems.length} problem(s)`);
  process.exit(valid ? 0 : 1);
}
