export function devCertificates(dir: string): Promise<{ ca: Buffer; cert: Buffer; key: Buffer; caPath: string }>;
export function serveOutlook(options?: {
  dir?: string;
  port?: number;
  certs?: string;
  host?: string;
}): Promise<{ url: string; ca: Buffer; caPath: string; close(): Promise<void> }>;
