/**
 * A certificate file that exists but cannot be used. The CA is precious — tablets
 * have installed it — so a broken CA file is reported, never silently replaced.
 */
export class CertificateError extends Error {
  override readonly name = 'CertificateError';
  constructor(readonly file: string, reason: string) {
    super(`Certificate file ${file}: ${reason}. Fix or remove it by hand; Roomtone will not overwrite it.`);
  }
}
