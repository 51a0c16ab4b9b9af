// F21: what is kept to log in again. After a SCRAM login the keys are kept instead of the
// password (Thunderbird's storage, the Outlook pane's browser storage); the password is kept only
// where nothing better works: a server that offers only PLAIN, or one whose SCRAM salt changes
// at every login (it keeps passwords in clear itself: ejabberd's default, Prosody's
// internal_plain). That is learned at the first login, from a second exchange beside it
// (LoginResult.saltStable), so a restart never asks for the password again; without that answer,
// from the salt moving between two logins, after which the password is asked for once more.
import type { LoginResult } from "../xmpp/sasl";
import type { ScramKeys } from "../xmpp/scram";

export interface StoredCredentials {
  keys?: ScramKeys;
  /** This server needs the password itself (PLAIN only, or a salt that changes). */
  keepPassword?: boolean;
}

/** Where a host keeps the credentials beside its settings. */
export interface CredentialStore {
  load(): Promise<StoredCredentials | undefined>;
  save(c: StoredCredentials): Promise<void>;
  /** Removes the stored password (the keys log in from now on). */
  forgetPassword(): Promise<void>;
}

/** What to keep after a login, and whether the stored password can go. */
export function afterLogin(before: StoredCredentials | undefined, result: LoginResult): { keep: StoredCredentials; dropPassword: boolean } {
  if (!result.keys) return { keep: { ...before, keepPassword: true }, dropPassword: false }; // PLAIN: the password is what logs in
  // what this login learned wins over what earlier ones suggested: a server may move to hashed storage
  if (result.saltStable !== undefined) return { keep: { keys: result.keys, keepPassword: !result.saltStable }, dropPassword: result.saltStable };
  const moved = !!before?.keys && before.keys.mechanism === result.keys.mechanism && before.keys.salt !== result.keys.salt;
  const keepPassword = !!before?.keepPassword || moved;
  return { keep: { keys: result.keys, keepPassword }, dropPassword: !keepPassword };
}

/** Credentials read back from a host's storage: anything malformed is dropped (the password is then asked for). */
export function readCredentials(raw: unknown): StoredCredentials | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const { keys, keepPassword } = raw as { keys?: Partial<ScramKeys>; keepPassword?: unknown };
  const str = (v: unknown) => typeof v === "string" && v.length > 0 && v.length < 512;
  const good =
    keys &&
    str(keys.mechanism) &&
    str(keys.salt) &&
    str(keys.clientKey) &&
    str(keys.serverKey) &&
    Number.isInteger(keys.iterations) &&
    (keys.iterations ?? 0) > 0;
  return { keys: good ? (keys as ScramKeys) : undefined, keepPassword: keepPassword === true };
}
