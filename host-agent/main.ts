import { readFileSync } from 'node:fs';
import readline from 'node:readline';
import { z } from 'zod';
import { DEFAULT_ROOM, DEFAULT_SCRIPT_PORT } from '../protocol/index.ts';
import { HostAgent } from './host-agent.ts';
import { discoverServer } from './discovery.ts';

interface Args { server?: string; tokenFile?: string; token?: string; room: string; scriptHost: string; scriptPort: number; takeover: boolean; caFile?: string; scriptSecretFile?: string; exitOnStdinEof: boolean }

function parseArgs(argv: string[]): Args {
  const args: Args = {
    room: process.env.ROOMTONE_ROOM ?? DEFAULT_ROOM,
    scriptHost: '127.0.0.1',
    scriptPort: Number(process.env.ROOMTONE_SCRIPT_PORT ?? DEFAULT_SCRIPT_PORT),
    takeover: false,
    exitOnStdinEof: false,
    ...(process.env.ROOMTONE_SERVER ? { server: process.env.ROOMTONE_SERVER } : {}),
    ...(process.env.ROOMTONE_AGENT_TOKEN ? { token: process.env.ROOMTONE_AGENT_TOKEN } : {}),
    ...(process.env.ROOMTONE_SCRIPT_SECRET_FILE ? { scriptSecretFile: process.env.ROOMTONE_SCRIPT_SECRET_FILE } : {}),
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--server': args.server = value(); break;
      case '--token-file': args.tokenFile = value(); break;
      case '--room': args.room = value(); break;
      case '--script-host': args.scriptHost = value(); break;
      case '--script-port': args.scriptPort = Number(value()); break;
      case '--ca-file': args.caFile = value(); break;
      case '--script-secret-file': args.scriptSecretFile = value(); break;
      case '--takeover': args.takeover = true; break;
      case '--exit-on-stdin-eof': args.exitOnStdinEof = true; break;
      default: throw new Error(`unknown option ${flag}`);
    }
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const token = args.token ?? (args.tokenFile ? readFileSync(args.tokenFile, 'utf8').trim() : undefined);
  if (!token) throw new Error('the agent needs a device token: --token-file <data>/agent.token or ROOMTONE_AGENT_TOKEN');
  // No URL given: ask the LAN (mDNS) for a Roomtone server, the first that answers.
  const found = args.server ? null : await discoverServer({ timeoutMs: 5_000 });
  if (found) console.error(`[agent] found ${found.name} at ${found.url} (certificate ${found.fingerprint256})`);
  const serverUrl = args.server ?? found?.url;
  if (!serverUrl) throw new Error('no --server given and no Roomtone server answered on mDNS; pass --server https://host:port');
  const secret: SecretSource = { file: args.scriptSecretFile };
  const agent = new HostAgent({
    serverUrl,
    token,
    room: args.room,
    scriptHost: args.scriptHost,
    scriptPort: args.scriptPort,
    takeover: args.takeover,
    scriptSecret: secretReader(secret),
    onState: (state) => {
      // Another agent took over this room: Live is released; end cleanly (exit 0).
      if (state === 'replaced') setImmediate(() => process.exit(0));
    },
    ...(args.caFile ? { ca: readFileSync(args.caFile, 'utf8') } : {}),
  });
  agent.start();
  listenForLauncher(agent, secret);
  const stop = (): void => {
    agent.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Started by the launcher: its end (however it ends) closes our stdin, and we follow.
  if (args.exitOnStdinEof) {
    process.stdin.on('end', stop).on('error', stop).resume();
  }
}

/**
 * The launcher that supervises this agent may move it to another Remote Script (from the
 * simulator to a real Live that opened): one JSON line on stdin,
 * `{"scriptPort": 47800, "scriptSecretFile": "/path/to/agent.secret"}` — each script has
 * its own secret (H9), so the file moves with the port. Anything else on stdin is
 * ignored; its end changes nothing.
 */
const LauncherLineSchema = z.object({
  scriptPort: z.number().int().min(1).max(65535),
  scriptSecretFile: z.string().min(1).max(4096).optional(),
}).strict();

function listenForLauncher(agent: HostAgent, secret: SecretSource): void {
  if (process.stdin.isTTY) return;
  readline.createInterface({ input: process.stdin }).on('line', (line) => {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return;
    }
    const parsed = LauncherLineSchema.safeParse(json);
    if (!parsed.success) return;
    console.error(`[agent] the launcher moves this agent to the Remote Script on port ${parsed.data.scriptPort}`);
    if (parsed.data.scriptSecretFile !== undefined) secret.file = parsed.data.scriptSecretFile;
    agent.retarget(parsed.data.scriptPort);
  });
}

/** The Remote Script's secret file, which the launcher may change (see listenForLauncher). */
interface SecretSource { file: string | undefined }

/** Reads the Remote Script's secret file at each connection; null while it does not exist yet. */
function secretReader(source: SecretSource): () => string | null {
  return () => {
    if (source.file === undefined) return null;
    try {
      const secret = readFileSync(source.file, 'utf8').trim();
      return secret.length >= 32 ? secret : null;
    } catch {
      return null;
    }
  };
}

main().catch((err: unknown) => {
  console.error(`[agent] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
