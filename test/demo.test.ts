// `npm start` is the README's first command: the demo must run on this machine. Without a
// display it takes its tour under Xvfb and writes screenshots; it must end everything it started.
import { spawn } from "node:child_process";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { ROOT } from "./kit/build";

describe("npm start (the demo)", () => {
  it("builds, starts Prosody, a demo contact and Thunderbird, takes the tour and writes its screenshots", async () => {
    const started = Date.now();
    const env = { ...process.env };
    delete env.DISPLAY;
    const demo = spawn(process.execPath, ["scripts/start.mjs", "--headless"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    demo.stdout.on("data", (d) => (out += d));
    demo.stderr.on("data", (d) => (out += d));
    const code = await new Promise<number | null>((r) => demo.on("exit", r));
    expect({ code, out: code === 0 ? "" : out }).toEqual({ code: 0, out: "" });
    expect(out).toContain("Sent an IM to Bob with the earlier emails attached; delivered; Bob answered");
    expect(out).toContain("Inserted a live-chat invitation into a draft to Bob and Carol.");
    for (const f of ["1-im-window.png", "2-main-window.png", "3-draft-with-invitation.png"]) {
      const s = await stat(join(ROOT, "artifacts", "demo", f));
      expect(s.mtimeMs).toBeGreaterThanOrEqual(started - 1000);
      expect(s.size).toBeGreaterThan(10_000);
    }
    // everything it started is gone: no Prosody, Thunderbird or demo contact left from its run
    const pids = [...out.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
    expect(pids.length).toBeGreaterThanOrEqual(4); // Prosody, the contact, Thunderbird, its Xvfb
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 40 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 50)); // orphans are reaped by init
    expect(pids.filter(alive)).toEqual([]);
  }, 180_000);
});
