import { DEFAULTS, type ServerConfig } from '../../server/config.ts';
import type { Settings } from './option-table.ts';

/** The server's part of the settings. */
export function toServerConfig(s: Settings): ServerConfig {
  return {
    ...DEFAULTS,
    port: s.port,
    httpPort: s.httpPort,
    host: s.host,
    publicUrl: s.publicUrl,
    dataDir: s.dataDir,
    certsDir: s.certsDir,
    live: s.live,
    mdns: s.mdns,
    joinCode: s.joinCode,
    adminPin: s.adminPin,
    scriptPort: s.scriptPort,
    rateLimit: { perSecond: s.ratePerSecond, burst: s.rateBurst },
    ipBinding: s.ipBinding,
    compactAfterBytes: s.compactAfterKb,
    resetNotes: s.resetNotes,
    maxConnectionsPerAddress: s.maxConnectionsPerAddress,
    session: { idleTimeoutMs: s.sessionIdleMs, absoluteLifetimeMs: s.sessionLifetimeMs, graceMs: s.sessionGraceMs },
    ...(s.uploadGraceMs !== undefined ? { uploadGraceMs: s.uploadGraceMs } : {}),
    mdnsTransport: s.mdnsUnicast ? { multicast: false, ip: s.mdnsUnicast.ip, port: s.mdnsUnicast.port, ...(s.mdnsBind ? { bind: s.mdnsBind } : {}) } : undefined,
  };
}
