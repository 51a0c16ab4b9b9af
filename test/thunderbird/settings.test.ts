// F19: what IT presets through policies.json (storage.managed) wins and is locked; nothing else is.
import { DEFAULT_SETTINGS, mergeSettings } from "../../src/hosts/thunderbird/settings-store";

describe("F19 settings and IT presets", () => {
  it("nothing preset: the user's values over the defaults, nothing locked", () => {
    expect(mergeSettings({ service: "wss://chat.example.org/ws", jid: "a@example.org" }, {})).toEqual({
      settings: { ...DEFAULT_SETTINGS, service: "wss://chat.example.org/ws", jid: "a@example.org" },
      locked: [],
    });
    expect(mergeSettings(undefined, undefined)).toEqual({ settings: DEFAULT_SETTINGS, locked: [] });
  });

  it("a preset server wins and is locked; the user's own JID and password stay theirs", () => {
    const r = mergeSettings({ service: "wss://mine.example.org/ws", jid: "a@example.org", password: "pw" }, { service: "wss://corp.example.org/ws" });
    expect(r.settings).toMatchObject({ service: "wss://corp.example.org/ws", jid: "a@example.org", password: "pw" });
    expect(r.locked).toEqual(["service"]);
  });

  it("ignores malformed values instead of failing", () => {
    const r = mergeSettings({ historyLimit: "lots", jid: 42, sound: true }, { historyLimit: -1 });
    expect(r.settings).toEqual({ ...DEFAULT_SETTINGS, sound: true });
    expect(r.locked).toEqual([]);
  });
});
