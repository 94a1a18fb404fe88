import forge from 'node-forge';
import { randomBytes, createHash } from 'node:crypto';
import { normalizeIp } from './san-defaults.ts';
import { nameConstraintsExtension, type PermittedNames } from './name-constraints.ts';

const { pki } = forge;
const DAY = 24 * 60 * 60 * 1000;

/** iOS refuses server certificates valid for more than 825 days; stay well inside. */
export const SERVER_CERT_DAYS = 397;
const CA_DAYS = 3650;

export interface KeyAndCert { keyPem: string; certPem: string }

// forge uses Node's native RSA key generation when it is available (~0.2 s for 2048
// bits) and falls back to pure JS (~5 s) elsewhere; either needs no openssl binary.
function newKeyPair(): forge.pki.rsa.KeyPair {
  return pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
}

function serialNumber(): string {
  // Positive (high bit clear) and unique enough that browsers never see a reuse.
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

function validity(cert: forge.pki.Certificate, days: number): void {
  const now = Date.now();
  cert.validity.notBefore = new Date(now - DAY); // tolerate a tablet whose clock lags
  cert.validity.notAfter = new Date(now + days * DAY);
}

/** A CA that may sign only for `permitted` (H8). */
export function makeCa(commonName: string, permitted: PermittedNames): KeyAndCert {
  const keys = newKeyPair();
  const cert = pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  validity(cert, CA_DAYS);
  const subject = [{ name: 'commonName', value: commonName }, { name: 'organizationName', value: 'Roomtone local CA' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
    nameConstraintsExtension(permitted),
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { keyPem: pki.privateKeyToPem(keys.privateKey), certPem: pki.certificateToPem(cert) };
}

export function makeServerCert(ca: KeyAndCert, hostnames: string[], addresses: string[]): KeyAndCert {
  const caCert = pki.certificateFromPem(ca.certPem);
  const caKey = pki.privateKeyFromPem(ca.keyPem);
  const keys = newKeyPair();
  const cert = pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  validity(cert, SERVER_CERT_DAYS);
  cert.setSubject([{ name: 'commonName', value: hostnames[0] ?? 'localhost' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
    {
      name: 'subjectAltName',
      altNames: [
        ...hostnames.map((value) => ({ type: 2, value })),
        ...addresses.map((ip) => ({ type: 7, ip })),
      ],
    },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { keyPem: pki.privateKeyToPem(keys.privateKey), certPem: pki.certificateToPem(cert) };
}

/** The SANs of a certificate as plain host names and normalized IP strings. */
export function readSans(cert: forge.pki.Certificate): string[] {
  // forge types every extension as {}; the subjectAltName one carries altNames.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the rule sees through forge's {} and misfires
  const ext = cert.getExtension('subjectAltName') as { altNames?: Array<{ type: number; value: string; ip?: string }> } | undefined;
  return (ext?.altNames ?? []).map((n) => (n.type === 7 && n.ip ? normalizeIp(n.ip) : n.value.toLowerCase()));
}

/** `AA:BB:…` over the DER bytes, the same spelling as Node's X509Certificate.fingerprint256. */
export function fingerprint256(certPem: string): string {
  const der = forge.asn1.toDer(pki.certificateToAsn1(pki.certificateFromPem(certPem))).getBytes();
  const hex = createHash('sha256').update(Buffer.from(der, 'binary')).digest('hex').toUpperCase();
  return hex.match(/../g)!.join(':');
}

export function keyMatchesCert(keyPem: string, cert: forge.pki.Certificate): boolean {
  const key = pki.privateKeyFromPem(keyPem);
  const pub = cert.publicKey as forge.pki.rsa.PublicKey;
  return key.n.equals(pub.n) && key.e.equals(pub.e);
}

export function issuedBy(ca: forge.pki.Certificate, cert: forge.pki.Certificate): boolean {
  try {
    return ca.verify(cert);
  } catch {
    return false;
  }
}

export const DAY_MS = DAY;
