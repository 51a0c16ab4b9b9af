export const DEFAULT_SCHEMAS: string;
export function findSchemas(dir?: string): Promise<string | undefined>;
export function validateOutlookManifest(xml: string, opts?: { schemas?: string | null; base?: string }): Promise<{ valid: boolean; problems: string[]; xsd: boolean }>;
