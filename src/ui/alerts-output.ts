// F15, the part that makes noise: a short chime (Web Audio, generated — no sound file, nothing
// remote) and speech (Web Speech synthesis) with the voice core/alerts.ts cast for the person.
// Used by the hosts' pages; when a browser offers neither, alerts stay visual.
import { voiceCast } from "../core/alerts";

let audio: AudioContext | undefined;

/** Two soft notes, 0.25 s; `volume` 0–1. */
export function chime(volume: number): void {
  try {
    audio ??= new AudioContext();
    const now = audio.currentTime;
    for (const [i, freq] of [880, 1175].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0, now + i * 0.12);
      gain.gain.linearRampToValueAtTime(0.3 * volume, now + i * 0.12 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.12 + 0.13);
      osc.connect(gain).connect(audio.destination);
      osc.start(now + i * 0.12);
      osc.stop(now + i * 0.12 + 0.14);
    }
  } catch {
    // no audio output here: the notification and the badge remain
  }
}

let cast: ReturnType<typeof voiceCast> | undefined;

/** Reads `text` aloud in the participant's own voice. */
export function speak(text: string, participant: string, volume: number): void {
  const synth = globalThis.speechSynthesis;
  if (!synth) return;
  const voices = synth.getVoices();
  cast ??= voiceCast(voices.map((v) => v.name));
  const { voice, pitch } = cast(participant);
  const u = new SpeechSynthesisUtterance(text);
  u.voice = voices.find((v) => v.name === voice) ?? null;
  u.pitch = pitch;
  u.volume = volume;
  synth.speak(u);
}
