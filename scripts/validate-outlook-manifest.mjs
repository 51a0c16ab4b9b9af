#!/usr/bin/env node
// Offline check of an Outlook manifest.xml (F20). Four parts (and the F25 event handler):
//  1. XSD validation against the 2019 Office schemas with libxml2 (xmllint-wasm);
//  2. the elements those schemas do not know, checked here by their documented rules and then
//     set aside for the XSD pass (SupportsPinning: only in VersionOverridesV1_1, only in a
//     ShowTaskpane action after its SourceLocation, true or false) — any other newer element is
//     reported, since nothing offline can vouch for it;
//  3. every resid resolves to a resource of its kind, in each VersionOverrides that uses it;
//  4. every URL is HTTPS, and with --base, every page, icon and support URL is under that base;
//  5. Smart Alerts (F25): the Runtimes and the LaunchEvent extension point, by their documented
//     rules (only in VersionOverridesV1_1's MailHost; the LaunchEvent's SourceLocation names a
//     Runtime; each Runtime's resid and its JavaScript Override name URLs; OnMessageSend with a
//     SendMode; a FunctionName), set aside for the XSD pass like SupportsPinning — and, where the
//     built JavaScript is beside the manifest (dist/outlook), the FunctionName is associated in it
//     (Office.actions.associate("name", …)); absent, one plain line says it was not checked.
// The XSDs are not part of the product: they are read from --schemas, else OFFICE_MANIFEST_XSD_DIR,
// else ../shared/schemas/office-manifest beside the clone (where the team keeps them). When none is
// there — any user's clone — the XSD part is skipped with one plain line, and parts 2–4 still run.
// Usage: node scripts/validate-outlook-manifest.mjs [manifest.xml] [--schemas DIR] [--base URL]
import { access, readFile, readdir } from "node:fs/promises";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "ltx";
import { validateXML } from "xmllint-wasm";

// (transformed to CommonJS for the tests, import.meta.url is absent and __dirname stands in)
const SELF = typeof import.meta.url === "string" ? fileURLToPath(import.meta.url) : "";
const HERE = SELF ? dirname(SELF) : __dirname;
export const DEFAULT_SCHEMAS = process.env.OFFICE_MANIFEST_XSD_DIR || resolve(HERE, "..", "..", "shared", "schemas", "office-manifest");
const MAIN_XSD = "OfficeAppManifestV1_1.xsd";

/** Where the Office XSDs are, or undefined when that folder does not hold them. */
export async function findSchemas(dir = DEFAULT_SCHEMAS) {
  try {
    await access(join(dir, MAIN_XSD));
    return dir;
  } catch {
    return undefined; // absent is the normal case outside the team's machines: the caller says so
  }
}

/** Elements newer than the 2019 schemas (all inside VersionOverridesV1_1); only SupportsPinning is used and checked. */
const NEWER = ["WebApplicationInfo", "MobileFormFactor", "ExtendedPermissions"];
const SEND_EVENTS = ["OnMessageSend", "OnAppointmentSend"];
const SEND_MODES = ["PromptUser", "SoftBlock", "Block"];
const LAUNCH_EVENTS = [
  ...SEND_EVENTS,
  "OnNewMessageCompose",
  "OnNewAppointmentOrganizer",
  "OnMessageAttachmentsChanged",
  "OnMessageRecipientsChanged",
  "OnMessageFromChanged",
  "OnMessageCompose",
  "OnMessageReadWithCustomAttachment",
  "OnMessageReadWithCustomHeader",
  "OnSensitivityLabelChanged",
  "OnInfoBarDismissClicked",
];

/** The file a URL names beside the manifest (its path, shortest suffix last), or undefined. */
async function besideManifest(dir, url) {
  const parts = new URL(url).pathname.split("/").filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    const file = join(dir, ...parts.slice(i));
    try {
      await access(file);
      return file;
    } catch {
      // not at this depth: try the shorter path
    }
  }
  return undefined;
}

/** 5. The Runtimes and LaunchEvent extension points (see the header); pushes problems and notes, returns what to set aside. */
async function checkLaunchEvents(root, problems, notes, dir) {
  const aside = [];
  const children = (el, name) => el.children.filter((c) => typeof c !== "string" && local(c) === name);
  for (const overrides of [...walk(root)].filter((e) => local(e) === "VersionOverrides")) {
    const urls = new Map();
    const resources = children(overrides, "Resources")[0];
    for (const el of resources ? walk(resources) : []) if (local(el) === "Url" && el.attrs.id) urls.set(el.attrs.id, el.attrs.DefaultValue);
    const mine = (el) => ancestors(el).find((a) => local(a) === "VersionOverrides") === overrides;
    const runtimes = [...walk(overrides)].filter((e) => local(e) === "Runtimes" && mine(e));
    const points = [...walk(overrides)].filter((e) => local(e) === "ExtensionPoint" && type(e) === "LaunchEvent" && mine(e));
    if (!runtimes.length && !points.length) continue;
    if (type(overrides) !== "VersionOverridesV1_1") problems.push("Runtimes/LaunchEvent: allowed only inside VersionOverridesV1_1");
    const runtime = new Map(); // resid → its JavaScript override's URL
    for (const r of runtimes) {
      if (local(r.parent) !== "Host" || type(r.parent) !== "MailHost") problems.push("Runtimes: must be a child of the MailHost");
      for (const rt of children(r, "Runtime")) {
        const id = rt.attrs.resid;
        if (!urls.has(id)) problems.push(`Runtime: resid ${id} names no Url resource`);
        const js = children(rt, "Override").find((o) => o.attrs.type === "javascript");
        if (js && !urls.has(js.attrs.resid)) problems.push(`Runtime ${id}: the JavaScript Override's resid ${js.attrs.resid} names no Url resource`);
        runtime.set(id, js ? urls.get(js.attrs.resid) : undefined);
      }
      aside.push(r);
    }
    for (const point of points) {
      if (local(point.parent) !== "DesktopFormFactor") problems.push("LaunchEvent: the extension point must be in the DesktopFormFactor");
      const source = children(point, "SourceLocation")[0]?.attrs.resid;
      if (!runtime.has(source)) problems.push(`LaunchEvent: SourceLocation ${source} is not a Runtime's resid`);
      const events = children(point, "LaunchEvents").flatMap((l) => children(l, "LaunchEvent"));
      if (!events.length) problems.push("LaunchEvent: no LaunchEvent in LaunchEvents");
      for (const ev of events) {
        const { Type: kind, FunctionName: fn, SendMode: mode } = ev.attrs;
        if (!LAUNCH_EVENTS.includes(kind)) problems.push(`LaunchEvent: unknown Type "${kind}"`);
        if (!/^[A-Za-z_$][\w$]*$/.test(fn ?? "")) problems.push(`LaunchEvent ${kind}: FunctionName "${fn ?? ""}" is not a function name`);
        if (SEND_EVENTS.includes(kind) && !SEND_MODES.includes(mode)) problems.push(`LaunchEvent ${kind}: SendMode must be one of ${SEND_MODES.join(", ")}`);
        const jsUrl = runtime.get(source);
        if (!jsUrl || !dir || !fn) continue;
        const file = await besideManifest(dir, jsUrl);
        if (!file) {
          notes.push(`LaunchEvent ${kind}: ${jsUrl} is not beside the manifest, so ${fn} was not looked for in it (checked on a built dist/outlook)`);
          continue;
        }
        const code = await readFile(file, "utf8");
        const associated = new RegExp(`associate\\(\\s*["'\`]${fn}["'\`]`).test(code);
        if (!associated) problems.push(`LaunchEvent ${kind}: ${file} does not associate "${fn}" (Office.actions.associate("${fn}", handler))`);
      }
      aside.push(point);
    }
  }
  return aside;
}

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

/**
 * Checks a manifest. `schemas`: the XSD folder, or null to skip the XSD part. Returns the problems
 * found and whether the XSD part ran.
 */
export async function validateOutlookManifest(xml, { schemas = DEFAULT_SCHEMAS, base, dir } = {}) {
  const problems = [];
  const notes = [];
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
    if (!action || local(action) !== "Action" || type(action) !== "ShowTaskpane")
      problems.push("SupportsPinning: allowed only in an Action of xsi:type ShowTaskpane");
    const siblings = action ? action.children.filter((c) => typeof c !== "string") : [];
    if (siblings.indexOf(el) < 1 || local(siblings[siblings.indexOf(el) - 1]) !== "SourceLocation")
      problems.push("SupportsPinning: must follow the action's SourceLocation");
    if (value !== "true" && value !== "false") problems.push(`SupportsPinning: "${value}" is not true or false`);
    setAside.push(el);
  }
  setAside.push(...(await checkLaunchEvents(root, problems, notes, dir)));
  for (const el of setAside) el.parent.children = el.parent.children.filter((c) => c !== el);

  // 1. the schemas, on what is left
  if (schemas) {
    const files = (await readdir(schemas)).filter((f) => f.endsWith(".xsd"));
    const load = async (f) => ({ fileName: f, contents: await readFile(join(schemas, f), "utf8") });
    const result = await validateXML({
      xml: [{ fileName: "manifest.xml", contents: setAside.length ? `<?xml version="1.0" encoding="UTF-8"?>\n${root.toString()}` : xml }],
      schema: [await load(MAIN_XSD)],
      preload: await Promise.all(files.filter((f) => f !== MAIN_XSD).map(load)),
    });
    if (!result.valid) for (const e of result.errors) problems.push(`XSD: ${e.rawMessage ?? e.message ?? e}`);
  }

  // 3. resids, per VersionOverrides (each carries its own Resources)
  const kinds = { Image: "Images", Url: "Urls", String: ["ShortStrings", "LongStrings"] };
  const wanted = {
    Image: ["Image"],
    SourceLocation: ["Url"],
    FunctionFile: ["Url"],
    Runtime: ["Url"],
    Override: ["Url"],
    Label: ["String"],
    Title: ["String"],
    Description: ["String"],
    Tooltip: ["String"],
  };
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
  return { valid: problems.length === 0, problems, notes, xsd: !!schemas };
}

/** The command line; a function rather than top-level code so tests can import this module. */
async function main(args) {
  const take = (flag) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args.splice(i, 2)[1] : undefined;
  };
  const wanted = take("--schemas") ?? DEFAULT_SCHEMAS;
  const base = take("--base");
  const file = args[0] ?? "manifest.xml";
  const schemas = await findSchemas(wanted);
  if (!schemas)
    console.log(
      `${file}: XSD check skipped — no Office manifest schemas at ${wanted} (set OFFICE_MANIFEST_XSD_DIR or --schemas to a folder holding ${MAIN_XSD}); the other checks still run`,
    );
  const { valid, problems, notes } = await validateOutlookManifest(await readFile(file, "utf8"), {
    schemas: schemas ?? null,
    base,
    dir: dirname(resolve(file)),
  });
  for (const n of notes) console.log(`${file}: ${n}`);
  for (const p of problems) console.error(`${file}: ${p}`);
  const parts = `${schemas ? "XSD 2019 + " : ""}SupportsPinning + resids + URLs`;
  console.log(valid ? `${file}: valid (offline: ${parts})` : `${file}: ${problems.length} problem(s)`);
  return valid ? 0 : 1;
}

if (SELF && process.argv[1] && resolve(process.argv[1]) === SELF) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err.message);
      process.exit(2);
    },
  );
}
