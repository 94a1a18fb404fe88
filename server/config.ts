import path from 'node:path';
import { PACKAGE_ROOT } from './util/package-root.ts';
import { DEFAULT_ROOM, DEFAULT_SCRIPT_PORT } from '../protocol/index.ts';
import type { IpBinding } from './security/ip-binding.ts';
import { DEFAULT_CONNECTIONS_PER_ADDRESS } from './security/connection-caps.ts';
import type { MdnsTransport } from './discovery/mdns-transport.ts';
import type { ModelConfig } from './intent/model/model-adapter.ts';

export type LiveMode = 'auto' | 'sim' | 'real';

export interface ServerConfig {
  /** HTTPS port; 0 picks a free one. */
  port: number;
  /** Plain HTTP port for the CA certificate, the page on trusting it and redirects; 0 picks one, -1 disables. */
  httpPort: number;
  /** Address to listen on: 0.0.0.0 serves the LAN, 127.0.0.1 keeps it on this machine. */
  host: string;
  /** What join links and QR codes point at (`https://studio.local:8443/`); undefined: the LAN address. */
  publicUrl: string | undefined;
  dataDir: string;
  certsDir: string;
  live: LiveMode;
  mdns: boolean;
  joinCode: string | undefined;
  adminPin: string | undefined;
  room: string;
  /** Port the Remote Script listens on inside Live. */
  scriptPort: number;
  /** Raised only by benchmarks, through this same configuration. */
  rateLimit: { perSecond: number; burst: number };
  /** `subnet` lets a session roam within its /24 or /64 (see docs/security.md). */
  ipBinding: IpBinding;
  /** Growth of the `set` doc past which it is rebuilt (M8); undefined: the default (2 MiB). */
  compactAfterBytes: number | undefined;
  session: { idleTimeoutMs: number; absoluteLifetimeMs: number; graceMs: number };
  /** Start with empty notes for a room whose saved notes are broken, keeping a copy (H13). */
  resetNotes: boolean;
  /** WebSocket connections one address may hold (a school NAT is one address; H14). */
  maxConnectionsPerAddress: number;
  /** An upload untouched this long is abandoned and removed (ROOMTONE_UPLOAD_GRACE_MS; default 24 h). */
  uploadGraceMs?: number;
  /** Tests only: mDNS by unicast (ROOMTONE_MDNS_UNICAST=127.0.0.2:port, ROOMTONE_MDNS_BIND=127.0.0.1). */
  mdnsTransport: MdnsTransport | undefined;
  /** An OpenAI-compatible model on the LAN for words the parser gives up on; off (undefined) by default. */
  model: ModelConfig | undefined;
}

export const DEFAULTS: ServerConfig = {
  port: 8443,
  httpPort: 8080,
  host: '0.0.0.0',
  publicUrl: undefined,
  dataDir: './data',
  // The launcher passes the per-user folders (cli/paths/user-folders.ts); these are for
  // the server used as a library, in tests.
  certsDir: path.join(PACKAGE_ROOT, 'certs'),
  live: 'auto',
  mdns: true,
  joinCode: undefined,
  adminPin: undefined,
  room: DEFAULT_ROOM,
  scriptPort: DEFAULT_SCRIPT_PORT,
  rateLimit: { perSecond: 30, burst: 60 },
  ipBinding: 'exact',
  session: { idleTimeoutMs: 30 * 60_000, absoluteLifetimeMs: 12 * 3600_000, graceMs: 60_000 },
  mdnsTransport: undefined,
  compactAfterBytes: undefined,
  model: undefined,
  resetNotes: false,
  maxConnectionsPerAddress: DEFAULT_CONNECTIONS_PER_ADDRESS,
};

/** A setting that cannot be used: the launcher prints its message as one line and exits 2. */
export class ConfigError extends Error {}
