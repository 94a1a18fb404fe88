import type { SecureContextOptions, TlsOptions } from 'node:tls';

/**
 * TLS 1.2 suites the server offers: ECDHE (forward secrecy) with an AEAD cipher only.
 * OpenSSL's default list still offers CBC suites under TLS 1.2 (Lucky Thirteen-style
 * padding oracles; H17). Every browser a classroom runs speaks TLS 1.3 or these; the
 * TLS 1.3 suites are all AEAD and stay at OpenSSL's defaults.
 */
export const TLS12_AEAD_SUITES = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
];

const TLS13_SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];

/** The HTTPS server's protocol and cipher policy, beside its key and certificate. */
export function tlsServerOptions(credentials: Pick<SecureContextOptions, 'key' | 'cert'>): TlsOptions {
  return {
    ...credentials,
    minVersion: 'TLSv1.2',
    ciphers: [...TLS13_SUITES, ...TLS12_AEAD_SUITES].join(':'),
    honorCipherOrder: true,
  };
}
