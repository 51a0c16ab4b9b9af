// `npm start`: the product's main job. Builds both add-ins, starts a private Prosody on loopback
// with demo users, a demo contact (Bob) who answers every IM, and real Thunderbird with the add-in
// and a demo mailbox. The demo account is typed into the IM window once, as a person would.
//
// With a display ($DISPLAY set, no --headless): Thunderbird stays open for you; Ctrl+C (or
// closing Thunderbird) ends the demo and everything it started.
// Without one: it runs under its own Xvfb, takes a short tour (IM to Bob, his answer, an
// invitation in a draft), writes screenshots to artifacts/demo/, and stops.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startProsody, type ProsodyServer } from "./prosody.mjs";
import { endChild, keys, mbox, person, rfc822, startThunderbird, type Thunderbird } from "./lib/thunderbird";

const ROOT = resolve(process.cwd());
const headless = process.argv.includes("--headless") || !process.env.DISPLAY;
const say = (s: string) => process.stdout.write(`${s}\n`);

const PASSWORDS = { alice: "alice-demo", bob: "bob-demo", carol: "carol-demo" };

/** The demo mailbox: a thread with Bob, a note from Carol (who is not online). */
function mailbox(domain: string) {
  const [alice, bob, carol] = ["alice", "bob", "carol"].map((u) => `${u}@${domain}`);
  return mbox([
    rfc822({
      from: `Bob Builder <${bob}>`,
      to: `Alice <${alice}>`,
      subject: "Budget 2027 — first draft",
      id: "demo-1@mail.example.org",
      date: "Mon, 16 Nov 2026 09:12:00 +0000",
      body: "Hi Alice,\n\nhere is the first draft of the 2027 budget. Travel is up 12 %, the rest is flat.\n\nBob",
    }),
    rfc822({
      from: `Alice <${alice}>`,
      to: `Bob Builder <${bob}>`,
      subject: "Re: Budget 2027 — first draft",
      id: "demo-2@mail.example.org",
      date: "Mon, 16 Nov 2026 11:40:00 +0000",
      body: "Thanks Bob — travel looks high. Can we keep it flat?\n\nAlice",
    }),
    rfc822({
      from: `Carol Jones <${carol}>`,
      to: `Alice <${alice}>`,
      subject: "Offsite on Friday",
      id: "demo-3@mail.example.org",
      date: "Wed, 18 Nov 2026 15:02:00 +0000",
      body: "Alice, are you joining the offsite on Friday?\n\nCarol",
    }),
    rfc822({
      from: `Bob Builder <${bob}>`,
      to: `Alice <${alice}>`,
      subject: "Re: Budget 2027 — first draft",
      id: "demo-4@mail.example.org",
      date: "Fri, 20 Nov 2026 10:05:00 +0000",
      body: "New numbers attached: travel is down to +4 %. Good to go?\n\nBob",
    }),
  ]);
}

async function main(): Promise<number> {
  say("Building both add-ins…");
  const built = spawnSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
  if (built.status !== 0) return built.status ?? 1;

  let prosody: ProsodyServer | undefined;
  let bob: ChildProcess | undefined;
  let tb: Thunderbird | undefined;
  const stopAll = async () => {
    await tb?.stop();
    if (bob) await endChild(bob, "SIGTERM"); // the contact logs out; killed if it takes over 5 s
    await prosody?.stop({ purge: true });
  };
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    say("\nStopping the demo…");
    void stopAll().then(() => process.exit(0));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  try {
    prosody = await startProsody({ dir: await mkdtemp(join(tmpdir(), "rvi-demo-xmpp-")), users: PASSWORDS });
    const jid = (u: keyof typeof PASSWORDS) => `${u}@${prosody!.domain}`;
    say(
      `Private XMPP server on loopback: ${prosody.service}, pid ${prosody.pid} (users ${Object.keys(PASSWORDS)
        .map((u) => jid(u as keyof typeof PASSWORDS))
        .join(", ")})`,
    );

    bob = spawn(
      process.execPath,
      [
        "dist/cli.mjs",
        "listen",
        "--service",
        prosody.service,
        "--jid",
        jid("bob"),
        "--password-env",
        "RVI_DEMO_PASSWORD",
        "--contact",
        jid("alice"),
        "--answer",
        "Hi Alice, Bob here (the demo contact). You wrote: “{text}” — yes, +4 % is fine. Shall we call at 3?",
      ],
      { env: { ...process.env, RVI_DEMO_PASSWORD: PASSWORDS.bob }, stdio: ["ignore", "ignore", "pipe"] },
    );
    await new Promise<void>((ok, fail) => {
      bob!.stderr!.on("data", (d) => String(d).includes("listening as") && ok());
      bob!.once("exit", (code) => fail(new Error(`the demo contact stopped (exit ${code})`)));
    });
    say(`Demo contact ${jid("bob")} (pid ${bob.pid}) is online and answers every IM; ${jid("carol")} stays offline.`);

    // its own display gets a window manager too: the invitation popup stays open there as on a desktop
    tb = await startThunderbird({
      xpi: join(ROOT, "dist", "reply-via-im-0.1.0.xpi"),
      me: jid("alice"),
      folders: { Inbox: mailbox(prosody.domain) },
      display: headless ? undefined : process.env.DISPLAY,
      windowManager: headless,
    });
    const me = person(tb);
    say(
      `Thunderbird (${tb.pids.map((p) => `pid ${p}`).join(", ")}) is running${headless ? " under its own Xvfb display" : ""} with the add-in and a demo mailbox (you are ${jid("alice")}).`,
    );
    if ((await me.showMessage("demo-4@mail.example.org")) !== "Reply via IM") throw new Error("the Reply via IM button did not appear on the email");
    await me.pressReplyViaIm();
    await me.waitTitle("^Your XMPP account$", 30_000);
    // the address is filled in from the mail identity: the password; the private server (ws:// on
    // loopback) under Advanced: Tab to it, open it, Tab to the field
    await me.type([{ text: PASSWORDS.alice }, keys.tab, keys.enter, keys.tab, { text: prosody.service }, keys.enter]);
    await me.waitTitle("^IM to Bob Builder", 30_000); // named as his emails name him
    say("The demo account is set up; the IM window to Bob is open.");

    if (!headless) {
      say("\nTry it: write to Bob and press Ctrl+Enter; open Carol's email and Reply via IM to see the offline choices;");
      say("write a new email and press “IM invitation”. Close Thunderbird or press Ctrl+C to end the demo.");
      await tb.exited;
      await stopAll();
      return 0;
    }

    const pictures = join(ROOT, "artifacts", "demo");
    await mkdir(pictures, { recursive: true });
    await me.type([{ text: "Are the new numbers final?" }, keys.ctrlEnter]);
    await me.waitTitle("— Delivered$", 20_000);
    await me.waitTitle("— New message$", 20_000); // the conversation is on screen: no notification needed
    await me.pictureOfImWindow(join(pictures, "1-im-window.png"));
    say("Sent an IM to Bob with the earlier emails attached; delivered; Bob answered in the open window.");
    await me.closeImWindow();
    await me.pictureOfWindow("mail:3pane", join(pictures, "2-main-window.png"));
    await me.newDraft(`${jid("bob")}, ${jid("carol")}`, "Budget review call", "<p>Let us settle the budget.</p>");
    // no join page is set up in the demo: the invitation carries the xmpp: link, and says so
    if (!/— ready(, no web link)?$/.test(await me.pressComposeButton("— (ready|ready, no web link|not ready)$")))
      throw new Error("the IM invitation popup could not prepare a session");
    await me.keyInComposePopup(keys.enter);
    await me.draftHtml("?join");
    await me.pictureOfWindow("msgcompose", join(pictures, "3-draft-with-invitation.png"));
    say("Inserted a live-chat invitation into a draft to Bob and Carol.");
    await stopAll();
    say(`\nScreenshots: ${pictures}/ (1-im-window.png, 2-main-window.png, 3-draft-with-invitation.png)`);
    say("With a display, `npm start` leaves Thunderbird open for you instead.");
    return 0;
  } catch (err) {
    process.stderr.write(
      `The demo stopped: ${(err as Error).message}\n${
        tb
          ? tb
              .log()
              .split("\n")
              .filter((l) => /Reply via IM|error/i.test(l))
              .slice(-10)
              .join("\n")
          : ""
      }\n`,
    );
    await stopAll();
    return 1;
  }
}

process.exit(await main());
