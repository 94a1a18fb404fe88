import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ROOM, DEFAULT_SCRIPT_PORT } from '../protocol/index.ts';
import type { IpBinding } from './security/ip-binding.ts';
import { DEFAULT_CONNECTIONS_PER_ADDRESS } from './security/connection-caps.ts';
import type { MdnsTransport } from './discovery/mdns-transport.ts';

export type LiveMode = 'auto' | 'sim' | 'real';

export interface ServerConfig {
  /** HTTPS port; 0 picks a free one. */
  port: number;
  /** Plain HTTP port for the CA certificate, the QR join page and redirects; 0 picks one, -1 disables. */
  httpPort: number;
  /** Address to listen on: 0.0.0.0 serves the LAN, 127.0.0.1 keeps it on this machine. */
  host: string;
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
}

export const DEFAULTS: ServerConfig = {
  port: 8443,
  httpPort: 8080,
  host: '0.0.0.0',
  dataDir: './data',
  // Beside the code, not the working directory: `npx roomtone` from anywhere finds the
  // same CA, which tablets have installed.
  certsDir: fileURLToPath(new URL('../certs', import.meta.url)),
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
  resetNotes: false,
  maxConnectionsPerAddress: DEFAULT_CONNECTIONS_PER_ADDRESS,
};

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function intOption(name: string, raw: string | undefined, min: number, max: number): number {
  const value = Number(raw);
  if (raw === undefined || raw === '' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/**
 * Command-line flags win over environment variables, which win over defaults; every
 * option has both forms so a classroom can pin them in a poster-friendly .env.
 */
export function parseConfig(argv: string[], env: Env = process.env): ServerConfig {
  const config: ServerConfig = { ...DEFAULTS, rateLimit: { ...DEFAULTS.rateLimit }, session: { ...DEFAULTS.session } };
  if (env.ROOMTONE_PORT !== undefined) config.port = intOption('ROOMTONE_PORT', env.ROOMTONE_PORT, 0, 65535);
  if (env.ROOMTONE_HTTP_PORT !== undefined) config.httpPort = intOption('ROOMTONE_HTTP_PORT', env.ROOMTONE_HTTP_PORT, -1, 65535);
  if (env.ROOMTONE_HOST) config.host = env.ROOMTONE_HOST;
  if (env.ROOMTONE_DATA_DIR) config.dataDir = env.ROOMTONE_DATA_DIR;
  if (env.ROOMTONE_CERTS_DIR) config.certsDir = env.ROOMTONE_CERTS_DIR;
  if (env.ROOMTONE_LIVE) config.live = parseLive(env.ROOMTONE_LIVE);
  if (env.ROOMTONE_MDNS === '0' || env.ROOMTONE_MDNS === 'false') config.mdns = false;
  if (env.ROOMTONE_JOIN_CODE) config.joinCode = env.ROOMTONE_JOIN_CODE;
  if (env.ROOMTONE_ADMIN_PIN) config.adminPin = env.ROOMTONE_ADMIN_PIN;
  if (env.ROOMTONE_SCRIPT_PORT) config.scriptPort = intOption('ROOMTONE_SCRIPT_PORT', env.ROOMTONE_SCRIPT_PORT, 1, 65535);
  if (env.ROOMTONE_RATE_PER_SECOND) config.rateLimit.perSecond = intOption('ROOMTONE_RATE_PER_SECOND', env.ROOMTONE_RATE_PER_SECOND, 1, 1_000_000);
  if (env.ROOMTONE_RATE_BURST) config.rateLimit.burst = intOption('ROOMTONE_RATE_BURST', env.ROOMTONE_RATE_BURST, 1, 1_000_000);
  if (env.ROOMTONE_IP_BINDING) config.ipBinding = parseBinding(env.ROOMTONE_IP_BINDING);
  if (env.ROOMTONE_COMPACT_AFTER_KB) config.compactAfterBytes = intOption('ROOMTONE_COMPACT_AFTER_KB', env.ROOMTONE_COMPACT_AFTER_KB, 1, 1_000_000) * 1024;
  if (env.ROOMTONE_SESSION_IDLE_MS) config.session.idleTimeoutMs = intOption('ROOMTONE_SESSION_IDLE_MS', env.ROOMTONE_SESSION_IDLE_MS, 1_000, 7 * 24 * 3600_000);
  if (env.ROOMTONE_SESSION_LIFETIME_MS) config.session.absoluteLifetimeMs = intOption('ROOMTONE_SESSION_LIFETIME_MS', env.ROOMTONE_SESSION_LIFETIME_MS, 1_000, 30 * 24 * 3600_000);
  if (env.ROOMTONE_SESSION_GRACE_MS) config.session.graceMs = intOption('ROOMTONE_SESSION_GRACE_MS', env.ROOMTONE_SESSION_GRACE_MS, 0, 3600_000);
  if (env.ROOMTONE_RESET_NOTES === '1') config.resetNotes = true;
  if (env.ROOMTONE_MAX_CONNECTIONS_PER_ADDRESS) config.maxConnectionsPerAddress = intOption('ROOMTONE_MAX_CONNECTIONS_PER_ADDRESS', env.ROOMTONE_MAX_CONNECTIONS_PER_ADDRESS, 8, 100_000);
  if (env.ROOMTONE_UPLOAD_GRACE_MS) config.uploadGraceMs = intOption('ROOMTONE_UPLOAD_GRACE_MS', env.ROOMTONE_UPLOAD_GRACE_MS, 1_000, 30 * 24 * 3600_000);
  if (env.ROOMTONE_MDNS_UNICAST) config.mdnsTransport = parseUnicast(env.ROOMTONE_MDNS_UNICAST, env.ROOMTONE_MDNS_BIND);

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const next = (): string => {
      if (inline !== undefined) return inline;
      const value = argv[++i];
      if (value === undefined) throw new ConfigError(`${flag} needs a value`);
      return value;
    };
    switch (flag) {
      case '--port': config.port = intOption('--port', next(), 0, 65535); break;
      case '--http-port': config.httpPort = intOption('--http-port', next(), -1, 65535); break;
      case '--host': config.host = next(); break;
      case '--data-dir': config.dataDir = next(); break;
      case '--certs-dir': config.certsDir = next(); break;
      case '--live': config.live = parseLive(next()); break;
      case '--no-mdns': config.mdns = false; break;
      case '--reset-notes': config.resetNotes = true; break;
      case '--max-connections-per-address': config.maxConnectionsPerAddress = intOption('--max-connections-per-address', next(), 8, 100_000); break;
      case '--join-code': config.joinCode = next(); break;
      case '--admin-pin': config.adminPin = next(); break;
      case '--script-port': config.scriptPort = intOption('--script-port', next(), 1, 65535); break;
      case '--rate-per-second': config.rateLimit.perSecond = intOption('--rate-per-second', next(), 1, 1_000_000); break;
      case '--ip-binding': config.ipBinding = parseBinding(next()); break;
      case '--rate-burst': config.rateLimit.burst = intOption('--rate-burst', next(), 1, 1_000_000); break;
      case '--compact-after-kb': config.compactAfterBytes = intOption('--compact-after-kb', next(), 1, 1_000_000) * 1024; break;
      default: throw new ConfigError(`unknown option ${arg}`);
    }
  }
  config.dataDir = path.resolve(config.dataDir);
  config.certsDir = path.resolve(config.certsDir);
  return config;
}

function parseLive(raw: string): LiveMode {
  if (raw === 'auto' || raw === 'sim' || raw === 'real') return raw;
  throw new ConfigError(`--live must be auto, sim or real, got ${JSON.stringify(raw)}`);
}

function parseBinding(raw: string): IpBinding {
  if (raw === 'exact' || raw === 'subnet') return raw;
  throw new ConfigError(`--ip-binding must be exact or subnet, got ${JSON.stringify(raw)}`);
}

function parseUnicast(raw: string, bind: string | undefined): MdnsTransport {
  const match = /^(.+):(\d{1,5})$/.exec(raw);
  if (!match) throw new ConfigError(`ROOMTONE_MDNS_UNICAST must be ip:port, got ${JSON.stringify(raw)}`);
  return { multicast: false, ip: match[1]!, port: Number(match[2]), ...(bind ? { bind } : {}) };
}
