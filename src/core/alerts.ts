// F15 alerts, decided here and carried out by each host: a visual notification, an unread count
// on the add-in's button, a sound (off by default), speech — new messages read aloud, a distinct
// voice per participant, a volume per voice — and mute; plus what the window's live region says.
// Pure: the host says what it can do (its voices) and plays what the plan says.

export interface AlertSettings {
  notify: boolean;
  badge: boolean;
  sound: boolean;
  speech: boolean;
  /** Master volume, 0–100. */
  volume: number;
  muteAll: boolean;
  /** People whose messages make no sound and are not read aloud (still shown and counted). */
  muted: string[];
  /** Volume of one person's voice, 0–100, on top of the master volume. */
  voiceVolumes: Record<string, number>;
}

export const DEFAULT_ALERTS: AlertSettings = {
  notify: true,
  badge: true,
  sound: false,
  speech: false,
  volume: 80,
  muteAll: false,
  muted: [],
  voiceVolumes: {},
};

export interface IncomingAlert {
  from: string;
  /** How the person is shown (nickname in a session, or the address). */
  name?: string;
  text: string;
  /** F14: strangers wait in the requests list, unannounced. */
  known: boolean;
  /** The conversation with this person is on screen and focused: it needs no calling out. */
  visible: boolean;
}

export interface AlertPlan {
  notify?: { title: string; body: string };
  countsUnread: boolean;
  sound?: { volume: number };
  speak?: { text: string; volume: number };
  /** For the window's ARIA live region (screen readers): always, when known. */
  announce?: string;
}

const norm = (s: string) => s.trim().toLowerCase();
const clamp = (n: number) => Math.max(0, Math.min(100, Number.isFinite(n) ? n : 0));

/** The loudness (0–1) for one person: the master volume times their voice's volume. */
export function loudness(s: AlertSettings, from: string): number {
  const own = s.voiceVolumes[norm(from)];
  return (clamp(s.volume) / 100) * (own === undefined ? 1 : clamp(own) / 100);
}

export function planAlert(m: IncomingAlert, s: AlertSettings): AlertPlan {
  if (!m.known) return { countsUnread: false };
  const who = m.name || m.from;
  const text = m.text.length > 300 ? `${m.text.slice(0, 299)}…` : m.text;
  const plan: AlertPlan = { countsUnread: !m.visible && s.badge, announce: `${who}: ${text}` };
  if (s.notify && !m.visible) plan.notify = { title: who, body: text };
  const silent = s.muteAll || s.muted.some((x) => norm(x) === norm(m.from));
  const volume = loudness(s, m.from);
  if (silent || volume === 0) return plan;
  if (s.sound && !m.visible) plan.sound = { volume };
  if (s.speech) plan.speak = { text: `${who}: ${text}`, volume };
  return plan;
}

/**
 * A distinct voice per participant: each new person gets the next voice not yet given (in the
 * order the host lists them); when there are more people than voices, voices are reused with a
 * different pitch, so no two people sound the same.
 */
const PITCHES = [1, 1.3, 0.75, 1.5, 0.6];
export function voiceCast(voices: string[]) {
  const given = new Map<string, { voice?: string; pitch: number }>();
  return (participant: string): { voice?: string; pitch: number } => {
    const key = norm(participant);
    let v = given.get(key);
    if (!v) {
      const n = given.size;
      const round = voices.length ? Math.floor(n / voices.length) : n;
      v = { voice: voices.length ? voices[n % voices.length] : undefined, pitch: PITCHES[round % PITCHES.length]! };
      given.set(key, v);
    }
    return v;
  };
}

/** Unread messages per person, for the button's badge; reading a conversation clears its count. */
export function unreadCounter() {
  const counts = new Map<string, number>();
  return {
    add: (from: string) => void counts.set(norm(from), (counts.get(norm(from)) ?? 0) + 1),
    read: (from: string) => void counts.delete(norm(from)),
    of: (from: string) => counts.get(norm(from)) ?? 0,
    get total() {
      let n = 0;
      for (const c of counts.values()) n += c;
      return n;
    },
  };
}

/** The badge text: nothing at 0, the number up to 99, then "99+". */
export function badgeText(total: number): string {
  return total <= 0 ? "" : total > 99 ? "99+" : String(total);
}

/** "bob@example.org 50" lines (Options) → voice volumes; a bad line is reported, not guessed. */
export function parseVoiceVolumes(text: string): { volumes: Record<string, number>; bad: string[] } {
  const volumes: Record<string, number> = {};
  const bad: string[] = [];
  for (const line of text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)) {
    const m = /^([^\s:=]+@[^\s:=]+)\s*[:=]?\s*(\d{1,3})\s*%?$/.exec(line);
    if (m && Number(m[2]) <= 100) volumes[norm(m[1]!)] = Number(m[2]);
    else bad.push(line);
  }
  return { volumes, bad };
}
