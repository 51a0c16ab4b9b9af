import { badgeText, DEFAULT_ALERTS, loudness, parseVoiceVolumes, planAlert, unreadCounter, voiceCast, type AlertSettings } from "../../src/core";

const bob = { from: "bob@example.org", text: "Are the numbers final?", known: true, visible: false };
const with_ = (s: Partial<AlertSettings>): AlertSettings => ({ ...DEFAULT_ALERTS, ...s });

describe("F15 alerts", () => {
  it("by default: a notification and a count on the button, no sound, nothing read aloud, the live region told", () => {
    expect(planAlert(bob, DEFAULT_ALERTS)).toEqual({
      notify: { title: "bob@example.org", body: "Are the numbers final?" },
      countsUnread: true,
      announce: "bob@example.org: Are the numbers final?",
    });
  });

  it("a stranger's IM (F14) calls for nothing at all", () => {
    expect(planAlert({ ...bob, known: false }, with_({ sound: true, speech: true }))).toEqual({ countsUnread: false });
  });

  it("the conversation on screen: no notification, no count, no chime — but read aloud when speech is on, and announced", () => {
    expect(planAlert({ ...bob, visible: true }, with_({ sound: true, speech: true }))).toEqual({
      countsUnread: false,
      speak: { text: "bob@example.org: Are the numbers final?", volume: 0.8 },
      announce: "bob@example.org: Are the numbers final?",
    });
  });

  it("sound and speech when chosen, at the master volume times the person's voice volume; the name in a session is read, not the address", () => {
    const s = with_({ sound: true, speech: true, volume: 50, voiceVolumes: { "bob@example.org": 40 } });
    const plan = planAlert({ ...bob, from: "Bob@Example.org", name: "Bob" }, s);
    expect(plan.sound).toEqual({ volume: 0.2 });
    expect(plan.speak).toEqual({ text: "Bob: Are the numbers final?", volume: 0.2 });
    expect(loudness(s, "carol@example.org")).toBe(0.5);
  });

  it("mute — everyone, or one person, or a voice at 0 — silences sound and speech but still shows and counts", () => {
    for (const s of [
      with_({ sound: true, speech: true, muteAll: true }),
      with_({ sound: true, speech: true, muted: ["BOB@example.org"] }),
      with_({ sound: true, speech: true, voiceVolumes: { "bob@example.org": 0 } }),
    ]) {
      const plan = planAlert(bob, s);
      expect(plan.sound).toBeUndefined();
      expect(plan.speak).toBeUndefined();
      expect(plan.notify).toBeDefined();
      expect(plan.countsUnread).toBe(true);
    }
  });

  it("a long message is cut for the notification and the voice", () => {
    const plan = planAlert({ ...bob, text: "x".repeat(1000) }, with_({ speech: true }));
    expect(plan.notify!.body).toHaveLength(300);
    expect(plan.notify!.body.endsWith("…")).toBe(true);
  });

  it("each participant gets a distinct voice; more people than voices get another pitch; the same person keeps theirs", () => {
    const cast = voiceCast(["Alice (en)", "Daniel (en)"]);
    const a = cast("bob@example.org"),
      b = cast("Carol"),
      c = cast("Dave");
    expect([a.voice, b.voice]).toEqual(["Alice (en)", "Daniel (en)"]);
    expect(c.voice).toBe("Alice (en)");
    expect(c.pitch).not.toBe(a.pitch);
    expect(cast("BOB@example.org")).toEqual(a);
    const none = voiceCast([]); // no voices installed: the default voice at distinct pitches
    expect(new Set(["a", "b", "c", "d", "e"].map((p) => none(p).pitch)).size).toBe(5);
  });

  it("unread counts per person; reading a conversation clears it; the badge says 99+ past 99", () => {
    const u = unreadCounter();
    u.add("bob@example.org");
    u.add("Bob@example.org");
    u.add("carol@example.org");
    expect([u.of("bob@example.org"), u.total]).toEqual([2, 3]);
    u.read("BOB@example.org");
    expect(u.total).toBe(1);
    expect([badgeText(0), badgeText(7), badgeText(100)]).toEqual(["", "7", "99+"]);
  });

  it("voice volumes from Options' lines; a line that is not 'address volume' is reported", () => {
    expect(parseVoiceVolumes("bob@example.org 40\n\n Carol@Example.org: 75%\nbob 50\ndave@example.org 150")).toEqual({
      volumes: { "bob@example.org": 40, "carol@example.org": 75 },
      bad: ["bob 50", "dave@example.org 150"],
    });
  });
});
