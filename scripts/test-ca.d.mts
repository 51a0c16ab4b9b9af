export interface TestCa {
  /** PEM file of the CA's certificate (what clients are told to trust). */
  caCert: string;
  /** PEM file of the CA's private key (mode 600). */
  caKey: string;
}
export interface IssuedCert {
  cert: string;
  key: string;
}
export function makeCa(dir: string): Promise<TestCa>;
export function issueCert(
  ca: TestCa,
  dir: string,
  opts?: {
    names?: string[];
    ips?: string[];
    expired?: boolean;
    selfSigned?: boolean;
    /** file name stem in `dir` (default from the first name and the flags) */
    name?: string;
  },
): Promise<IssuedCert>;
