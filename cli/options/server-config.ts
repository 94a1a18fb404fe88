import { ConfigError, DEFAULTS, type ServerConfig } from '../../server/config.ts';
import type { ModelConfig } from '../../server/intent/model/model-adapter.ts';
import type { Settings } from './option-table.ts';

/**
 * The server's part of the settings. The model's API key comes from the environment only
 * (.env included): a command line is visible to every user of the machine.
 */
export function toServerConfig(s: Settings, env: Record<string, string | undefined> = process.env): ServerConfig {
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
    model: modelConfig(s, env.ROOMTONE_MODEL_KEY),
    mdnsTransport: s.mdnsUnicast ? { multicast: false, ip: s.mdnsUnicast.ip, port: s.mdnsUnicast.port, ...(s.mdnsBind ? { bind: s.mdnsBind } : {}) } : undefined,
  };
}

function modelConfig(s: Settings, apiKey: string | undefined): ModelConfig | undefined {
  if (!s.modelUrl && !s.modelName) return undefined;
  if (!s.modelUrl || !s.modelName) throw new ConfigError('--model-url and --model-name go together (an OpenAI-compatible API on the LAN and the model to ask)');
  return { url: s.modelUrl, model: s.modelName, timeoutMs: s.modelTimeoutMs, ...(apiKey ? { apiKey } : {}) };
}
