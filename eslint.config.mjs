// `npm run lint`: TypeScript with typescript-eslint's type-checked rules (they see a promise that
// nobody awaits, or one handed to something that expects a plain callback); the plain Node
// scripts (.mjs/.cjs) with ESLint's recommended rules.
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import tseslint from "typescript-eslint";

// The Node globals the .mjs/.cjs scripts may use (listed here rather than taken from the
// `globals` package, which is only a transitive dependency of eslint).
const nodeGlobals = Object.fromEntries(
  [
    "process",
    "console",
    "Buffer",
    "URL",
    "URLSearchParams",
    "TextEncoder",
    "TextDecoder",
    "setTimeout",
    "clearTimeout",
    "setInterval",
    "clearInterval",
    "setImmediate",
    "clearImmediate",
    "queueMicrotask",
    "structuredClone",
    "AbortController",
    "AbortSignal",
    "fetch",
    "performance",
    "require",
    "module",
    "exports",
    "__dirname",
    "__filename",
  ].map((name) => [name, "readonly"]),
);

export default defineConfig(
  globalIgnores(["dist/", "node_modules/", "artifacts/", ".tmp/", "coverage/"]),
  {
    files: ["**/*.ts", "**/*.mts", "**/*.cts"],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
      "no-empty": ["error", { allowEmptyCatch: false }],
      // Off: an async implementation of a Promise-returning port (a store, a translator, a fake)
      // without an await is deliberate; `async` turns its throws into rejections.
      "@typescript-eslint/require-await": "off",
      // A caught value handed on to reject() as it is keeps its kind; wrapping it would lose that.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingUnknown: true }],
    },
  },
  {
    files: ["test/**/*.ts"],
    rules: {
      // Off in tests: jest types its matchers (expect.any(), expect.stringMatching()) as `any`.
      "@typescript-eslint/no-unsafe-assignment": "off",
    },
  },
  {
    files: ["**/*.mjs", "**/*.cjs", "**/*.js"],
    extends: [js.configs.recommended],
    languageOptions: { globals: nodeGlobals },
    rules: {
      "no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
      "no-empty": ["error", { allowEmptyCatch: false }],
    },
  },
);
