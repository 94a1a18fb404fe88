import { ensureCertificates, type Certificates } from './certificates.ts';
import { defaultAddresses, defaultHostnames } from './san-defaults.ts';

export interface CertificateWatchOptions {
  dir: string;
  everyMs?: number;
  /** Read afresh at each check; default: this machine's names and addresses now. */
  hostnames?: () => string[];
  addresses?: () => string[];
  onRenewed(certs: Certificates): void;
  onError?(err: Error): void;
}

/**
 * A laptop that moves to another Wi-Fi or gets a new DHCP lease mid-lesson has
 * addresses its certificate does not name. Checking once a minute and swapping the
 * certificate in place (https.Server.setSecureContext) keeps new connections valid
 * without a restart; the CA, and so every tablet's trust, stays the same.
 */
export function watchCertificates(o: CertificateWatchOptions): { check(): Promise<Certificates | null>; stop(): void } {
  let running: Promise<Certificates | null> | null = null;
  const check = (): Promise<Certificates | null> => {
    running ??= ensureCertificates({ dir: o.dir, hostnames: (o.hostnames ?? defaultHostnames)(), addresses: (o.addresses ?? defaultAddresses)() })
      .then((certs) => {
        if (!certs.renewed) return null;
        o.onRenewed(certs);
        return certs;
      }, (err: unknown) => { o.onError?.(err instanceof Error ? err : new Error(String(err))); return null; })
      .finally(() => { running = null; });
    return running;
  };
  const timer = setInterval(() => void check(), o.everyMs ?? 60_000);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
