#!/usr/bin/env node
// Offline check of an Outlook manifest.xml (F20). Four parts:
//  1. XSD validation against the 2019 Office schemas with libxml2 (xmllint-wasm);
//  2. the elements those schemas do not know, checked here by their documented rules and then
//     set aside for the XSD pass (SupportsPinning: only in VersionOverridesV1_1, only in a
//     ShowTaskpane action after its SourceLocation, true or false) — any other newer element is
//     reported, since nothing offline can vouch for it;
//  3. every resid resolves to a resource of its kind, in each VersionOverrides that uses it;
//  4. every URL is HTTPS, and with --base, every page, icon and support URL is under that base.
// Usage: node scripts/validate-outlook-manifest.mjs [manifest.xml] [--schemas DIR] [--base URL]
import { readFile, readdir } from "node:fs/promises";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "ltx";
import { validateXML } from "xmllint-wasm";

const HERE = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_SCHEMAS = resolve(HERE, "..", "..", "shared", "schemas", "office-manifest");

/** Elements newer than the 2019 schemas (all inside VersionOverridesV1_1); only SupportsPinning is used and checked. */
const NEWER = ["WebApplicationInfo", "MobileFormFactor", "Runtimes", "LaunchEvent", "ExtendedPermissions"];

const local = (el) => el.name.replace(/^.*:/, "");
const type = (el) => el.attrs["xsi:type"];
function* walk(el) {
  yield el;
  for (const c of el.children) if (typeof c !== "string") yield* walk(c);
}
const ancestors = (el) => {
  const out = [];
  for (let p = el.parent; p; p = p.parent) out.push(p);
  return out;
};

export async function validateOutlookManifest(xml, { schemas = DEFAULT_SCHEMAS, base } = {}) {
  const problems = [];
  let root;
  try {
    root = parse(xml);
  } catch (err) {
    return { valid: false, problems: [`not well-formed XML: ${err.message}`] };
  }

  // 2. what the XSDs cannot know
  const setAside = [];
  for (const el of walk(root)) {
    const name = local(el);
    if (NEWER.includes(name)) problems.push(`${name}: newer than the offline schemas, not checked here — validate online (npm run validate:outlook:online)`);
    if (name !== "SupportsPinning") continue;
    const action = el.parent;
    const overrides = ancestors(el).find((a) => local(a) === "VersionOverrides");
    const value = el.getText().trim();
    if (!overrides || type(overrides) !== "VersionOverridesV1_1") problems.push("SupportsPinning: allowed only inside VersionOverridesV1_1 (Mailbox 1.5)");
    if (!action || local(action) !== "Action" || type(action) !== "ShowTaskpane") problems.push("SupportsPinning: allowed only in an Action of xsi:type ShowTaskpane");
    const siblings = action ? action.children.filter((c) => typeof c !== "string") : [];
    if (siblings.indexOf(el) < 1 || local(siblings[siblings.indexOf(el) - 1]) !== "SourceLocation") problems.push("SupportsPinning: must follow the action's SourceLocation");
    if (value !== "true" && value !== "false") problems.push(`SupportsPinning: "${value}" is not true or false`);
    setAside.push(el);
  }
  for (const el of setAside) el.parent.children = el.parent.children.filter((c) => c !== el);

  // 1. the schemas, on what is left
  const files = (await readdir(schemas)).filter((f) => f.endsWith(".xsd"));
  const main = "OfficeAppManifestV1_1.xsd";
  const load = async (f) => ({ fileName: f, contents: await readFile(join(schemas, f), "utf8") });
  const result = await validateXML({
    xml: [{ fileName: "manifest.xml", contents: setAside.length ? `<?xml version="1.0" encoding="UTF-8"?>\n${root.toString()}` : xml }],
    schema: [await load(main)],
    preload: await Promise.all(files.filter((f) => f !== main).map(load)),
  });
  if (!result.valid) for (const e of result.errors) problems.push(`XSD: ${e.rawMessage ?? e.message ?? e}`);

  // 3. resids, per VersionOverrides (each carries its own Resources)
  const kinds = { Image: "Images", Url: "Urls", String: ["ShortStrings", "LongStrings"] };
  const wanted = { Image: ["Image"], SourceLocation: ["Url"], FunctionFile: ["Url"], Label: ["String"], Title: ["String"], Description: ["String"], Tooltip: ["String"] };
  for (const overrides of [...walk(root)].filter((e) => local(e) === "VersionOverrides")) {
    const resources = overrides.children.find((c) => typeof c !== "string" && local(c) === "Resources");
    const defined = new Map();
    for (const el of resources ? walk(resources) : []) {
      if (el.attrs.id && el.parent) defined.set(el.attrs.id, { kind: local(el), group: local(el.parent) });
    }
    for (const el of walk(overrides)) {
      const id = el.attrs.resid;
      if (!id) continue;
      // a nested VersionOverrides is checked against its own resources
      if (ancestors(el).find((a) => local(a) === "VersionOverrides") !== overrides) continue;
      const found = defined.get(id);
      if (!found) {
        problems.push(`dangling resid: ${id} (${type(overrides)})`);
        continue;
      }
      const ok = (wanted[local(el)] ?? [found.kind]).some((k) => k === found.kind && [kinds[k]].flat().includes(found.group));
      if (!ok) problems.push(`resid ${id} on <${local(el)}> names a ${found.group} resource`);
    }
  }

  // 4. URLs
  for (const el of walk(root)) {
    const urls = [];
    if (el.attrs.DefaultValue && /^[a-z]+:\/\//i.test(el.attrs.DefaultValue)) urls.push(el.attrs.DefaultValue);
    if (local(el) === "AppDomain") urls.push(el.getText().trim());
    for (const url of urls) {
      if (!url.startsWith("https://")) problems.push(`not HTTPS: ${url}`);
      else if (base && local(el) !== "AppDomain" && !url.startsWith(base)) problems.push(`not under the base URL ${base}: ${url}`);
    }
  }
  return { valid: problems.length === 0, problems };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const take = (flag) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args.splice(i, 2)[1] : undefined;
  };
  const schemas = take("--schemas") ?? DEFAULT_SCHEMAS;
  const base = take("--base");
  const file = args[0] ?? "manifest.xml";
  const { valid, problems } = await validateOutlookManifest(await readFile(file, "utf8"), { schemas, base });
  for (const p of problems) console.error(`${file}: ${p}`);
  console.log(valid ? `${file}: valid (offline: XSD 2019 + SupportsPinning + resids + URLs)` : `${file}: ${problems.length} problem(s)`);
  process.exit(valid ? 0 : 1);
}
