// Button press → IM window shown with its history, in real Thunderbird (the built XPI), beside a
// baseline in the same run: Thunderbird's own Reply button → compose window ready. Then the
// add-in's cost to Thunderbird's start (bench/thunderbird-start.ts).
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startProsody } from "../scripts/prosody.mjs";
import { keys, mbox, person, rfc822, startThunderbird, type Thunderbird } from "../scripts/lib/thunderbird";
import { percentiles, sized, table } from "./kit";
import { benchStartCost } from "./thunderbird-start";

const RUNS = sized(15, 2);
const STARTS = sized(10, 1);

export async function benchThunderbird() {
  const out = await mkdtemp(join(tmpdir(), "rvi-bench-build-"));
  const built = spawnSync(process.execPath, ["scripts/build.mjs", "--out", out], { encoding: "utf8" });
  if (built.status !== 0) throw new Error(`build failed:\n${built.stderr}`);
  const users = { alice: "a", bob: "b" };
  const server = await startProsody({ dir: await mkdtemp(join(tmpdir(), "rvi-bench-")), users });
  let tb: Thunderbird | undefined;
  try {
    const earlier = Array.from({ length: 10 }, (_, i) =>
      rfc822({
        from: i % 2 ? "Alice <alice@localhost>" : "Bob <bob@localhost>",
        to: i % 2 ? "bob@localhost" : "alice@localhost",
        subject: `Budget, part ${i + 1}`,
        id: `bench-${i}@mail.example.org`,
        date: `Mon, ${i + 1} Nov 2026 09:00:00 +0000`,
        body: `Notes, part ${i + 1}.`,
      }),
    );
    tb = await startThunderbird({ xpi: join(out, "reply-via-im-0.1.0.xpi"), me: "alice@localhost", folders: { Inbox: mbox(earlier) } });
    const me = person(tb);
    await me.showMessage("bench-8@mail.example.org");
    await me.pressReplyViaIm();
    await me.waitTitle("^Your XMPP account$", 30_000);
    // the address is already there (from the mail identity); the password, then the private
    // server (ws:// on loopback) under Advanced: Tab to it, open it, Tab to the field — as
    // test/thunderbird/e2e.test.ts signs in
    await me.type([{ text: users.alice }, keys.tab, keys.enter, keys.tab, { text: server.service }, keys.enter]);
    await me.waitTitle("^IM to Bob", 30_000);
    await me.closeImWindow();
    const im: number[] = [];
    const reply: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      reply.push(await me.timedThunderbirdReply());
      im.push(await me.timedReplyViaIm("^IM to Bob"));
    }
    const a = percentiles(im);
    const b = percentiles(reply);
    table(
      `Thunderbird: button press → window ready, ${RUNS} runs each (ms; the IM window with 10 earlier emails as its history)`,
      ["", "median", "p95", "ratio (median)"],
      [
        ["Reply via IM → IM window", a.p50, a.p95, a.p50 / b.p50],
        ["baseline: Reply → compose window", b.p50, b.p95, 1],
      ],
    );
    await benchStartCost(tb, STARTS);
  } finally {
    await tb?.stop();
    await server.stop({ purge: true });
    await rm(out, { recursive: true, force: true });
  }
}
