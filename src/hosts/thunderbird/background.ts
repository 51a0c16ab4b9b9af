// Thunderbird background page (Manifest V2, persistent): the XMPP connection has to live while
// no window is open, which an MV3 background (suspended when idle) cannot promise. For now it
// opens the engine's store and, when an account is configured, connects.
import browser from "webextension-polyfill";
import { openStore } from "../../store";
import { connect, type Account } from "../../xmpp/connection";

const store = openStore();

async function start(): Promise<void> {
  const { account } = (await browser.storage.local.get("account")) as { account?: Account };
  if (!account?.service || !account.jid) return;
  try {
    await connect({ account });
  } catch (err) {
    console.warn("Reply via IM:", err instanceof Error ? err.message : err);
  }
}

void store.db.open().then(start);
