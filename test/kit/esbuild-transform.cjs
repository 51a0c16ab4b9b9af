// jest transformer: TypeScript and the ESM-only packages (xmpp.js, ical.js) to CommonJS
// with esbuild, so the suite needs neither ts-jest nor Node's experimental VM modules.
const { transformSync } = require("esbuild");
const crypto = require("node:crypto");

module.exports = {
  process(source, filename) {
    const loader = /\.tsx?$/.test(filename) ? "ts" : "js";
    const out = transformSync(source, {
      loader,
      format: "cjs",
      target: "node20",
      sourcemap: "inline",
      sourcefile: filename,
      supported: { "dynamic-import": false },
    });
    return { code: out.code };
  },
  getCacheKey(source, filename) {
    return crypto.createHash("sha1").update(source).update(filename).update("v1").digest("hex");
  },
};
