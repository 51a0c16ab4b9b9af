// A stand-in for Office.js in Outlook, for the pane tests in Chromium (served in place of
// https://appsforoffice.microsoft.com/lib/1/hosted/office.js). It follows the documented
// behaviour that the add-in relies on, and records every call for the tests to check:
//  - Office.onReady resolves with { host: "Outlook", platform }; callbacks get an AsyncResult
//    { status, value, error: { name, message, code }, asyncContext }, called asynchronously;
//  - Office.context.requirements.isSetSupported compares Mailbox versions numerically, and a
//    method newer than the host's Mailbox version is absent (as on an older Outlook);
//  - read items have string subject/from/to and body.getAsync; compose items have objects with
//    getAsync (to, cc, subject) and body.getTypeAsync / setSelectedDataAsync at the caret;
//  - displayReplyForm / displayNewMessageForm throw when htmlBody is over 32 KB; notification
//    messages: key ≤ 32 characters, message ≤ 150, an icon for InformationalMessage, at most 5;
//  - roamingSettings get/set/remove/saveAsync; mailbox.addHandlerAsync(ItemChanged) (1.5);
//  - a compose item's close() (1.3) and sessionData get/set/removeAsync (1.11; a key never set
//    answers as failed — Microsoft documents no value for it, so the pane must take either).

export interface ReadItemSpec {
  kind: "read";
  from: { displayName: string; emailAddress: string };
  to: { displayName: string; emailAddress: string }[];
  cc?: { displayName: string; emailAddress: string }[];
  subject: string;
  internetMessageId: string;
  conversationId: string;
  dateTimeCreated: string;
  body: string;
  attachments?: { id: string; name: string; size: number; contentType: string; isInline: boolean }[];
}

export interface ComposeItemSpec {
  kind: "compose";
  to: { displayName: string; emailAddress: string }[];
  cc?: { displayName: string; emailAddress: string }[];
  subject: string;
  bodyType: "html" | "text";
  /** The draft's body, with "{caret}" where the cursor is. */
  body: string;
  /** The item's session data (Mailbox 1.11), as an add-in's event handler left it. */
  sessionData?: Record<string, string>;
}

export interface FakeOfficeConfig {
  /** The host's Mailbox requirement set version, e.g. "1.5"; null host = not inside Outlook. */
  mailbox: string;
  host?: "Outlook" | null;
  user: { emailAddress: string; displayName: string };
  item: ReadItemSpec | ComposeItemSpec | null;
  roaming?: Record<string, unknown>;
}

/** What a notification message carries (only what the checks below read). */
interface NotificationDetails {
  type?: string;
  message?: unknown;
  icon?: string;
  persistent?: boolean;
}

/** What the stand-in puts on `window`: the calls, its handle for the tests, and Office itself. */
interface FakeWindow {
  __officeCalls: [string, ...unknown[]][];
  __fakeOffice: { roaming: Record<string, unknown>; saved: Record<string, unknown> | null; draft: unknown; select(spec: ReadItemSpec | null): void };
  Office: unknown;
}

export function install(config: FakeOfficeConfig) {
  const w = window as unknown as FakeWindow;
  const calls: [string, ...unknown[]][] = (w.__officeCalls = []);
  const record = (name: string, ...args: unknown[]) => calls.push([name, ...(JSON.parse(JSON.stringify(args)) as unknown[])]);
  const newer = (v: string, than: string) => {
    const a = v.split(".").map(Number);
    const b = than.split(".").map(Number);
    for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
    return false;
  };
  const has = (v: string) => !newer(v, config.mailbox);

  const Succeeded = "succeeded";
  const Failed = "failed";
  function respond(args: unknown[], value: unknown, error?: { name: string; message: string; code: number }) {
    const cb = [...args].reverse().find((a) => typeof a === "function") as ((r: unknown) => void) | undefined;
    const options = args.find((a) => a && typeof a === "object" && !Array.isArray(a)) as { asyncContext?: unknown } | undefined;
    const result = error
      ? { status: Failed, value: undefined, error, asyncContext: options?.asyncContext, diagnostics: undefined }
      : { status: Succeeded, value, error: undefined, asyncContext: options?.asyncContext, diagnostics: undefined };
    if (cb) setTimeout(() => cb(result), 0);
  }
  const only = (version: string, obj: Record<string, unknown>) => (has(version) ? obj : {});

  const notifications = new Map<string, unknown>();
  const notificationMessages = {
    ...only("1.3", {
      addAsync(key: string, details: NotificationDetails, ...rest: unknown[]) {
        record("notificationMessages.addAsync", key, details);
        const problem = checkNotification(key, details) ?? (notifications.has(key) ? "DuplicateNotificationKey" : undefined);
        if (problem) return respond(rest, undefined, { name: problem, message: problem, code: 9041 });
        notifications.set(key, details);
        respond(rest, undefined);
      },
      replaceAsync(key: string, details: NotificationDetails, ...rest: unknown[]) {
        record("notificationMessages.replaceAsync", key, details);
        const problem = checkNotification(key, details);
        if (problem) return respond(rest, undefined, { name: problem, message: problem, code: 9041 });
        notifications.set(key, details);
        respond(rest, undefined);
      },
      removeAsync(key: string, ...rest: unknown[]) {
        notifications.delete(key);
        respond(rest, undefined);
      },
      getAllAsync(...rest: unknown[]) {
        respond(
          rest,
          [...notifications].map(([key, d]) => ({ key, ...(d as object) })),
        );
      },
    }),
  };
  function checkNotification(key: string, d: NotificationDetails | undefined): string | undefined {
    if (typeof key !== "string" || key.length > 32) return "InvalidKey: at most 32 characters";
    if (typeof d?.message !== "string" || d.message.length > 150) return "MessageTooLong: at most 150 characters";
    if (d.type === "informationalMessage" && (!d.icon || d.persistent === undefined)) return "MissingIconOrPersistent";
    if (!notifications.has(key) && notifications.size >= 5) return "NumberOfNotificationMessagesExceeded";
    return undefined;
  }
  const over32k = (html: unknown) => typeof html === "string" && html.length > 32 * 1024;

  function readItem(spec: ReadItemSpec) {
    return {
      itemType: "message",
      itemId: `AAMk-${spec.internetMessageId}`,
      from: spec.from,
      sender: spec.from,
      to: spec.to,
      cc: spec.cc ?? [],
      subject: spec.subject,
      internetMessageId: spec.internetMessageId,
      conversationId: spec.conversationId,
      dateTimeCreated: new Date(spec.dateTimeCreated),
      dateTimeModified: new Date(spec.dateTimeCreated),
      attachments: (spec.attachments ?? []).map((a) => ({ ...a, attachmentType: "file" })),
      body: {
        ...only("1.3", {
          getAsync(coercionType: string, ...rest: unknown[]) {
            record("body.getAsync", coercionType);
            respond(rest, coercionType === "html" ? `<div>${spec.body}</div>` : spec.body);
          },
        }),
      },
      displayReplyForm(formData: string | { htmlBody?: string }) {
        const htmlBody = typeof formData === "string" ? formData : formData?.htmlBody;
        record("displayReplyForm", formData);
        if (over32k(htmlBody)) throw new Error("Sys.ArgumentException: htmlBody exceeds 32 KB");
      },
      displayReplyAllForm(formData: unknown) {
        record("displayReplyAllForm", formData);
      },
      notificationMessages,
    };
  }

  function recipients(list: { displayName: string; emailAddress: string }[]) {
    return {
      getAsync(...rest: unknown[]) {
        respond(
          rest,
          list.map((r) => ({ ...r, recipientType: "other" })),
        );
      },
      setAsync(value: unknown, ...rest: unknown[]) {
        record("recipients.setAsync", value);
        respond(rest, undefined);
      },
    };
  }

  function composeItem(spec: ComposeItemSpec) {
    const draft = { body: spec.body, subject: spec.subject };
    const session: Record<string, string> = { ...(spec.sessionData ?? {}) };
    w.__fakeOffice.draft = draft;
    return {
      itemType: "message",
      to: recipients(spec.to),
      cc: recipients(spec.cc ?? []),
      subject: {
        getAsync(...rest: unknown[]) {
          respond(rest, draft.subject);
        },
        setAsync(v: string, ...rest: unknown[]) {
          draft.subject = v;
          respond(rest, undefined);
        },
      },
      body: {
        getAsync(coercionType: string, ...rest: unknown[]) {
          respond(rest, draft.body.replace("{caret}", ""));
        },
        getTypeAsync(...rest: unknown[]) {
          respond(rest, spec.bodyType);
        },
        ...only("1.2", {
          setSelectedDataAsync(data: string, options: unknown, ...rest: unknown[]) {
            // the options object is optional: the callback may come second
            const given = options && typeof options === "object" ? (options as { coercionType?: string }) : undefined;
            record("body.setSelectedDataAsync", data, given ? { coercionType: given.coercionType } : undefined);
            const type = given?.coercionType ?? "text";
            if (typeof data !== "string" || data.length > 1_000_000)
              return respond([options, ...rest], undefined, { name: "DataExceedsMaximumSize", message: "The data is over 1,000,000 characters.", code: 1000 });
            if (type === "html" && spec.bodyType === "text")
              return respond([options, ...rest], undefined, { name: "InvalidDataFormat", message: "HTML cannot go into a text body.", code: 2006 });
            draft.body = draft.body.replace("{caret}", `${data}{caret}`);
            respond([options, ...rest], undefined);
          },
        }),
      },
      notificationMessages,
      ...only("1.3", {
        close() {
          record("item.close");
        },
      }),
      ...only("1.11", {
        sessionData: {
          getAsync(name: string, ...rest: unknown[]) {
            record("sessionData.getAsync", name);
            if (!(name in session)) return respond(rest, undefined, { name: "InvalidKey", message: `No session data named ${name}.`, code: 9000 });
            respond(rest, session[name]);
          },
          setAsync(name: string, value: string, ...rest: unknown[]) {
            record("sessionData.setAsync", name);
            session[name] = value;
            respond(rest, undefined);
          },
          removeAsync(name: string, ...rest: unknown[]) {
            record("sessionData.removeAsync", name);
            delete session[name];
            respond(rest, undefined);
          },
        },
      }),
    };
  }

  const handlers = new Map<string, ((e: unknown) => void)[]>();
  const roaming: Record<string, unknown> = { ...(config.roaming ?? {}) };
  const mailbox: { item: unknown } & Record<string, unknown> = {
    userProfile: { ...config.user, timeZone: "UTC", accountType: "enterprise" },
    diagnostics: { hostName: "OutlookWebApp", hostVersion: "16.0" },
    item: null,
    displayNewMessageForm(params: { htmlBody?: string }) {
      record("displayNewMessageForm", params);
      if (over32k(params?.htmlBody)) throw new Error("Sys.ArgumentException: htmlBody exceeds 32 KB");
    },
    ...only("1.5", {
      addHandlerAsync(type: string, handler: (e: unknown) => void, ...rest: unknown[]) {
        record("mailbox.addHandlerAsync", type);
        handlers.set(type, [...(handlers.get(type) ?? []), handler]);
        respond(rest, undefined);
      },
    }),
  };
  const item = (spec: ReadItemSpec | ComposeItemSpec | null) => (!spec ? null : spec.kind === "read" ? readItem(spec) : composeItem(spec));

  w.__fakeOffice = {
    roaming,
    saved: null as Record<string, unknown> | null,
    draft: undefined,
    /** Another message is selected while the pane is pinned. */
    select(spec: ReadItemSpec | null) {
      mailbox.item = item(spec);
      for (const h of handlers.get("olkItemSelectedChanged") ?? []) setTimeout(() => h({ type: "olkItemSelectedChanged" }), 0);
    },
  };
  mailbox.item = item(config.item);

  const host = config.host === undefined ? "Outlook" : config.host;
  const context = {
    host,
    platform: "OfficeOnline",
    contentLanguage: "en-US",
    displayLanguage: "en-US",
    requirements: {
      isSetSupported(name: string, minVersion = "1.1") {
        record("isSetSupported", name, minVersion);
        if (name === "OpenBrowserWindowApi") return host === "Outlook" && minVersion === "1.1";
        return name === "Mailbox" && host === "Outlook" && has(minVersion);
      },
    },
    // OpenBrowserWindowApi 1.1: opens the URL in the user's browser (Outlook on the web: a new tab)
    ui: {
      openBrowserWindow(url: string) {
        record("ui.openBrowserWindow", url);
      },
    },
    mailbox: host ? mailbox : undefined,
    roamingSettings: {
      get: (name: string): unknown => (name in roaming ? JSON.parse(JSON.stringify(roaming[name])) : null),
      set: (name: string, value: unknown) => void (roaming[name] = JSON.parse(JSON.stringify(value)) as unknown),
      remove: (name: string) => void delete roaming[name],
      saveAsync(...rest: unknown[]) {
        record("roamingSettings.saveAsync");
        w.__fakeOffice.saved = JSON.parse(JSON.stringify(roaming)) as Record<string, unknown>;
        respond(rest, undefined);
      },
    },
  };
  const ready = new Promise<{ host: string | null; platform: string | null }>((resolve) => {
    const go = () => setTimeout(() => resolve({ host, platform: host ? "OfficeOnline" : null }), 0);
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", go);
    else go();
  });
  w.Office = {
    HostType: { Outlook: "Outlook", Word: "Word", Excel: "Excel" },
    PlatformType: { OfficeOnline: "OfficeOnline", PC: "PC", Mac: "Mac" },
    AsyncResultStatus: { Succeeded, Failed },
    CoercionType: { Text: "text", Html: "html" },
    EventType: { ItemChanged: "olkItemSelectedChanged" },
    MailboxEnums: {
      ItemType: { Message: "message", Appointment: "appointment" },
      AttachmentType: { File: "file", Item: "item", Cloud: "cloud" },
      ItemNotificationMessageType: {
        InformationalMessage: "informationalMessage",
        ProgressIndicator: "progressIndicator",
        ErrorMessage: "errorMessage",
        InsightMessage: "insightMessage",
      },
    },
    context,
    onReady(cb?: (info: unknown) => void) {
      return ready.then((info) => {
        cb?.(info);
        return info;
      });
    },
  };
}
