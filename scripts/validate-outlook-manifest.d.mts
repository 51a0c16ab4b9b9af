export const DEFAULT_SCHEMAS: string;
export function findSchemas(dir?: string): Promise<string | undefined>;
/** `dir`: the manifest's folder, where the built event handler's JavaScript is looked for (F25). */
export function validateOutlookManifest(
  xml: string,
  opts?: { schemas?: string | null; base?: string; dir?: string },
): Promise<{ valid: boolean; problems: string[]; notes: string[]; xsd: boolean }>;
