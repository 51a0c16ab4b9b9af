// Office's own theme over Fluent 2's tokens (src/ui/theme/outlook.css): where Outlook offers its
// theme colours (Office.context.officeTheme, Mailbox 1.14), the pane takes its background, text and
// control colours, and its light or dark (data-office-theme), which the other tokens follow; it
// follows a change of theme while open (OfficeThemeChanged). Where Office offers none, the system's
// light or dark stays (prefers-color-scheme).
type Theme = Pick<Office.OfficeTheme, "bodyBackgroundColor" | "bodyForegroundColor" | "controlBackgroundColor" | "controlForegroundColor">;

/** Relative luminance (WCAG) of "#rrggbb" (with or without "#"); undefined for anything else. */
function luminance(colour: string): number | undefined {
  const m = /^#?([0-9a-f]{6})$/i.exec(colour.trim());
  if (!m) return undefined;
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(m[1]!.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

const hex = (c: string) => (c.startsWith("#") ? c : `#${c}`);

/** Sets the tokens from Office's theme; true when it had one the pane could use. */
export function applyOfficeTheme(theme: Partial<Theme> | undefined, root: HTMLElement = document.documentElement): boolean {
  const bg = theme?.bodyBackgroundColor;
  const fg = theme?.bodyForegroundColor;
  const light = bg === undefined ? undefined : luminance(bg);
  if (!bg || !fg || light === undefined || luminance(fg) === undefined) return false;
  const set = (name: string, value: string | undefined) => value && luminance(value) !== undefined && root.style.setProperty(name, hex(value));
  set("--rvi-bg", bg);
  set("--rvi-fg", fg);
  set("--rvi-control-bg", theme.controlBackgroundColor);
  set("--rvi-control-fg", theme.controlForegroundColor);
  root.dataset.officeTheme = light < 0.18 ? "dark" : "light";
  root.style.colorScheme = root.dataset.officeTheme;
  return true;
}

/** Follows Office's theme in the task pane: now, and when the person changes it. */
export function followOfficeTheme(office: typeof Office = Office): void {
  try {
    // no theme now (an Outlook before Mailbox 1.14) means no theme changes either: nothing to listen to
    if (!office.context.officeTheme || !office.EventType.OfficeThemeChanged) return;
    applyOfficeTheme(office.context.officeTheme);
    office.context.mailbox.addHandlerAsync(office.EventType.OfficeThemeChanged, (e: { officeTheme?: Theme }) => void applyOfficeTheme(e.officeTheme));
  } catch {
    // an Outlook without officeTheme (before Mailbox 1.14): Fluent's own light or dark stays
  }
}
