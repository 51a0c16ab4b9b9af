// F25 in Outlook: what the pane and the Smart Alerts handler (send-event.ts) share — where the
// pane keeps who is online now, how long the handler believes it, and where the held email's IM
// waits for the compose pane. No Office.js, no DOM: both runtimes import it.

/** roamingSettings: `{ at, emails }`, written by the pane while it is open or pinned. */
export const ONLINE_KEY = "rvi-online";
/** The item's sessionData: `{ text, to }`, left by the handler for the compose pane. */
export const SESSION_KEY = "rvi-send-as-im";
/** The handler believes the pane's list for two minutes; the pane writes it at least every minute. */
export const ONLINE_FRESH_MS = 120_000;
