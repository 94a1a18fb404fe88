import forge from 'node-forge';
import os from 'node:os';
import path from 'node:path';
import { CertificateError } from './certificate-error.ts';
import { defaultAddresses, defaultHostnames, normalizeIp } from './san-defaults.ts';
import { readIfExists, withDirLock, writeAtomic } from './cert-files.ts';
import { ensurePrivateDir } from '../persistence/private-json-file.ts';
import { isPermitted, permittedBy, studioNames } from './name-constraints.ts';
import { DAY_MS, fingerprint256, issuedBy, keyMatchesCert, makeCa, makeServerCert, readSans, type KeyAndCert } from './forge-certs.ts';

export { CertificateError } from './certificate-error.ts';

export interface EnsureCertificatesOptions {
  dir: string;
  /** Default: localhost, os.hostname(), <host>.local. */
  hostnames?: string[];
  /** Default: 127.0.0.1, ::1 and every non-internal address of this machine. */
  addresses?: string[];
}

export interface Certificates {
  key: string;
  cert: string;
  caCert: string;
  /** SHA-256 of the server certificate (colon hex), advertised in the mDNS TXT record. */
  fingerprint256: string;
  caFingerprint256: string;
  /** True when the server certificate was (re)made during this call. */
  renewed: boolean;
  /** Why it was remade: 'new', 'sans-changed', 'expiring', 'unreadable', 'other-ca'; null when reused. */
  renewReason: string | null;
  /** Host names and normalized IPs in the server certificate. */
  sans: string[];
  /**
   * False for a CA made before it carried name constraints (H8): kept, because tablets
   * trust it, but whoever holds its key can sign for any site. Replace it when you can.
   */
  caConstrained: boolean;
  caCertPath: string;
}

/** Renew before a browser starts warning, not after. */
const RENEW_BEFORE_MS = 30 * DAY_MS;

const FILES = { caKey: 'ca.key', caCert: 'ca.crt', key: 'server.key', cert: 'server.crt' } as const;

/**
 * Makes the local CA once and keeps it (tablets install it); makes the server
 * certificate and remakes it whenever the machine's names or addresses change.
 */
export async function ensureCertificates(opts: EnsureCertificatesOptions): Promise<Certificates> {
  await ensurePrivateDir(opts.dir);
  const hostnames = unique((opts.hostnames ?? defaultHostnames()).map((h) => h.toLowerCase()));
  const addresses = unique((opts.addresses ?? defaultAddresses()).map(normalizeIp));
  return withDirLock(opts.dir, async () => {
    const ca = await loadOrMakeCa(opts.dir, hostnames, addresses);
    // A name the CA may not sign for would make browsers refuse the whole certificate:
    // such a name (a new host name, an address on another network) is left out.
    const permitted = permittedBy(forge.pki.certificateFromPem(ca.certPem));
    const { server, reason } = await loadOrMakeServer(opts.dir, ca, hostnames.filter((h) => isPermitted(h, permitted)), addresses.filter((a) => isPermitted(a, permitted)));
    return {
      key: server.keyPem,
      cert: server.certPem,
      caCert: ca.certPem,
      fingerprint256: fingerprint256(server.certPem),
      caFingerprint256: fingerprint256(ca.certPem),
      renewed: reason !== null,
      renewReason: reason,
      sans: readSans(forge.pki.certificateFromPem(server.certPem)),
      caCertPath: path.join(opts.dir, FILES.caCert),
      caConstrained: permitted !== null,
    };
  });
}

async function loadOrMakeCa(dir: string, hostnames: string[], addresses: string[]): Promise<KeyAndCert> {
  const keyFile = path.join(dir, FILES.caKey);
  const certFile = path.join(dir, FILES.caCert);
  const [keyPem, certPem] = await Promise.all([readIfExists(keyFile), readIfExists(certFile)]);
  if (keyPem === null && certPem === null) {
    const ca = makeCa(`Roomtone CA (${os.hostname()})`, studioNames(hostnames, addresses));
    await writeAtomic(keyFile, ca.keyPem, 0o600);
    await writeAtomic(certFile, ca.certPem, 0o644);
    return ca;
  }
  if (keyPem === null) throw new CertificateError(keyFile, 'is missing while ca.crt exists');
  if (certPem === null) throw new CertificateError(certFile, 'is missing while ca.key exists');
  const cert = parseOrThrow(certFile, () => forge.pki.certificateFromPem(certPem));
  parseOrThrow(keyFile, () => forge.pki.privateKeyFromPem(keyPem));
  if (!keyMatchesCert(keyPem, cert)) throw new CertificateError(keyFile, 'does not belong to ca.crt');
  return { keyPem, certPem };
}

async function loadOrMakeServer(
  dir: string, ca: KeyAndCert, hostnames: string[], addresses: string[],
): Promise<{ server: KeyAndCert; reason: string | null }> {
  const keyFile = path.join(dir, FILES.key);
  const certFile = path.join(dir, FILES.cert);
  const [keyPem, certPem] = await Promise.all([readIfExists(keyFile), readIfExists(certFile)]);
  const reason = keyPem === null || certPem === null
    ? 'new'
    : staleReason({ keyPem, certPem }, ca, [...hostnames, ...addresses]);
  if (reason === null) return { server: { keyPem: keyPem!, certPem: certPem! }, reason };
  // The server certificate is derived from the CA, so remaking it loses nothing.
  const server = makeServerCert(ca, hostnames, addresses);
  await writeAtomic(keyFile, server.keyPem, 0o600);
  await writeAtomic(certFile, server.certPem, 0o644);
  return { server, reason };
}

function staleReason(server: KeyAndCert, ca: KeyAndCert, wanted: string[]): string | null {
  let cert: forge.pki.Certificate;
  try {
    cert = forge.pki.certificateFromPem(server.certPem);
    if (!keyMatchesCert(server.keyPem, cert)) return 'unreadable';
  } catch {
    return 'unreadable';
  }
  if (!issuedBy(forge.pki.certificateFromPem(ca.certPem), cert)) return 'other-ca';
  if (cert.validity.notAfter.getTime() - Date.now() < RENEW_BEFORE_MS) return 'expiring';
  if (!sameSet(readSans(cert), wanted)) return 'sans-changed';
  return null;
}

function parseOrThrow<T>(file: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new CertificateError(file, `cannot be parsed (${(err as Error).message})`);
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function sameSet(a: string[], b: string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((v) => sb.has(v));
}
