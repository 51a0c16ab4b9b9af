import { main } from "./main";

// main() reports its own failures and returns the exit code; this catch is for a bug in it.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`reply-via-im stopped on an unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
