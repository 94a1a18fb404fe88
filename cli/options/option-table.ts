import path from 'node:path';
import type { UserFolders } from '../paths/user-folders.ts';
import {
  absolutePath, adminPin, boolean, hostPort, httpUrl, httpsUrl, integer, joinCode, kilobytes, oneOf, text, type Parse,
} from './values.ts';

export const COMMANDS = ['start', 'doctor', 'service install', 'service uninstall', 'service status', 'discover', 'install-remote-script'] as const;
export type CommandName = typeof COMMANDS[number];

export interface DefaultsContext {
  folders: UserFolders;
  platform: NodeJS.Platform;
}

export interface OptionSpec<T> {
  /** `<port>` for an option that takes a value; absent for a switch. */
  value?: string;
  /** A switch that turns something off (`--no-mdns`): on by default. */
  negated?: boolean;
  env?: string;
  /** Whether a config file may set it (not the config file's own path). */
  inConfigFile?: boolean;
  commands: readonly CommandName[];
  group: 'network' | 'folders' | 'live' | 'room' | 'logs' | 'tests' | 'command';
  /** One line, for --help and the README. */
  describe: string;
  /** The default in words, for --help and the README. */
  defaultText: string;
  parse: Parse<T>;
  fallback(ctx: DefaultsContext): T;
}

function option<T>(spec: OptionSpec<T>): OptionSpec<T> {
  return { inConfigFile: true, ...spec };
}

/** `roomtone start` and the service that runs it take the same options. */
const START: readonly CommandName[] = ['start', 'service install'];
const START_AND_DOCTOR: readonly CommandName[] = [...START, 'doctor'];
const EVERYWHERE_WITH_DATA: readonly CommandName[] = [...START_AND_DOCTOR, 'service status'];

/**
 * Every option of every command, once. The commander definitions, --help, the config
 * file's keys, the environment variables and the README's option table are all made
 * from this table (a test checks the README). The key is the config file's name for
 * the option and, in kebab case, its flag.
 */
export const OPTIONS = {
  port: option({
    value: '<port>', env: 'ROOMTONE_PORT', commands: START_AND_DOCTOR, group: 'network',
    describe: 'HTTPS port for browsers and the host agent (0: any free port; the ready line says which)',
    defaultText: '8443', parse: integer(0, 65535), fallback: () => 8443,
  }),
  httpPort: option({
    value: '<port>', env: 'ROOMTONE_HTTP_PORT', commands: START_AND_DOCTOR, group: 'network',
    describe: 'plain-HTTP port for the CA certificate, a page on how to trust it, and the redirect to HTTPS (-1: off)',
    defaultText: '8080', parse: integer(-1, 65535), fallback: () => 8080,
  }),
  host: option({
    value: '<address>', env: 'ROOMTONE_HOST', commands: START_AND_DOCTOR, group: 'network',
    describe: 'address to listen on (127.0.0.1 keeps the room on this machine)',
    defaultText: '0.0.0.0 (every network)', parse: text, fallback: () => '0.0.0.0',
  }),
  publicUrl: option<string | undefined>({
    value: '<url>', env: 'ROOMTONE_PUBLIC_URL', commands: START, group: 'network',
    describe: 'what the QR code and join links point at, e.g. https://studio.local:8443/',
    defaultText: 'the LAN address on the default route', parse: httpsUrl, fallback: () => undefined,
  }),
  mdns: option({
    negated: true, env: 'ROOMTONE_MDNS', commands: START_AND_DOCTOR, group: 'network',
    describe: 'do not advertise the room on the LAN (mDNS); ROOMTONE_MDNS=0 does the same',
    defaultText: 'advertised', parse: boolean, fallback: () => true,
  }),
  config: option<string>({
    value: '<file>', env: 'ROOMTONE_CONFIG', inConfigFile: false, commands: EVERYWHERE_WITH_DATA, group: 'folders',
    describe: 'a JSON file of settings, keyed by option name in camelCase: { "port": 8443, "adminPin": "…" }',
    defaultText: '<config folder>/config.json', parse: absolutePath, fallback: ({ folders, platform }) => (platform === 'win32' ? path.win32 : path.posix).join(folders.config, 'config.json'),
  }),
  dataDir: option({
    value: '<dir>', env: 'ROOMTONE_DATA_DIR', commands: EVERYWHERE_WITH_DATA, group: 'folders',
    describe: 'sessions, the room\'s switches, notes, the audit log and the agent\'s token',
    defaultText: 'the per-user data folder (docs/operations.md)', parse: absolutePath, fallback: ({ folders }) => folders.data,
  }),
  certsDir: option({
    value: '<dir>', env: 'ROOMTONE_CERTS_DIR', commands: START_AND_DOCTOR, group: 'folders',
    describe: 'the local CA tablets trust and the server certificate it signs',
    defaultText: 'the per-user certificate folder', parse: absolutePath, fallback: ({ folders }) => folders.certs,
  }),
  logDir: option({
    value: '<dir>', env: 'ROOMTONE_LOG_DIR', commands: START, group: 'logs',
    describe: 'where roomtone.log (JSON lines, rotated at 10 MB, 7 kept) is written',
    defaultText: 'the per-user log folder', parse: absolutePath, fallback: ({ folders }) => folders.logs,
  }),
  logLevel: option({
    value: '<level>', env: 'ROOMTONE_LOG_LEVEL', commands: START, group: 'logs',
    describe: 'least level logged: trace, debug, info, warn, error or silent',
    defaultText: 'info', parse: oneOf(['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const), fallback: () => 'info' as const,
  }),
  service: option({
    env: 'ROOMTONE_SERVICE', inConfigFile: false, commands: ['start'], group: 'logs',
    describe: 'set by the service definitions: the terminal gets warnings only, the log file everything',
    defaultText: 'off', parse: boolean, fallback: () => false,
  }),
  live: option({
    value: '<mode>', env: 'ROOMTONE_LIVE', commands: START_AND_DOCTOR, group: 'live',
    describe: 'auto: Live\'s Remote Script when it answers, else the simulator (as a service: waits for Live); sim: always the simulator; real: only Live',
    defaultText: 'auto', parse: oneOf(['auto', 'sim', 'real'] as const), fallback: () => 'auto' as const,
  }),
  set: option({
    value: '<name>', env: 'ROOMTONE_SIM_SET', commands: START, group: 'live',
    describe: 'the simulator\'s set: demo (a band\'s 8 tracks), rehearsal, or heavy (100+ tracks, 40,000+ parameters: a studio\'s real set)',
    defaultText: 'demo', parse: oneOf(['demo', 'heavy', 'rehearsal'] as const), fallback: () => 'demo' as const,
  }),
  python: option({
    value: '<command>', env: 'ROOMTONE_PYTHON', commands: START_AND_DOCTOR, group: 'live',
    describe: 'the Python 3 that runs the simulator (a name on the PATH or a full path)',
    defaultText: 'python3 (python on Windows)', parse: text, fallback: ({ platform }) => (platform === 'win32' ? 'python' : 'python3'),
  }),
  simTickHz: option({
    value: '<hz>', env: 'ROOMTONE_SIM_TICK_HZ', commands: START, group: 'live',
    describe: 'the simulated Live\'s main-thread ticks per second',
    defaultText: '100', parse: integer(1, 1000), fallback: () => 100,
  }),
  scriptPort: option({
    value: '<port>', env: 'ROOMTONE_SCRIPT_PORT', commands: START_AND_DOCTOR, group: 'live',
    describe: 'the port the Remote Script listens on inside Live (127.0.0.1 only)',
    defaultText: '47800', parse: integer(1, 65535), fallback: () => 47800,
  }),
  scriptSecretFile: option<string | undefined>({
    value: '<file>', env: 'ROOMTONE_SCRIPT_SECRET_FILE', commands: START_AND_DOCTOR, group: 'live',
    describe: 'the secret the host agent proves itself with to the Remote Script (docs/security.md H9); Live must see the same file',
    defaultText: 'agent.secret next to the installed Remote Script (Live), sim-agent.secret in the data folder (simulator)',
    parse: absolutePath, fallback: () => undefined,
  }),
  joinCode: option<string | undefined>({
    value: '<code>', env: 'ROOMTONE_JOIN_CODE', commands: START, group: 'room',
    describe: 'fix the join code (6+ letters or digits; a classroom poster); the host can still rotate it',
    defaultText: 'random, kept across restarts', parse: joinCode, fallback: () => undefined,
  }),
  adminPin: option<string | undefined>({
    value: '<pin>', env: 'ROOMTONE_ADMIN_PIN', commands: START, group: 'room',
    describe: 'fix the admin PIN for the host role (6 to 32 digits)',
    defaultText: 'random at each start, 8 digits', parse: adminPin, fallback: () => undefined,
  }),
  ipBinding: option({
    value: '<mode>', env: 'ROOMTONE_IP_BINDING', commands: START, group: 'room',
    describe: 'exact: a session works only from the address that joined; subnet: from its /24 or /64',
    defaultText: 'exact', parse: oneOf(['exact', 'subnet'] as const), fallback: () => 'exact' as const,
  }),
  sessionIdleMs: option({
    value: '<ms>', env: 'ROOMTONE_SESSION_IDLE_MS', commands: START, group: 'room',
    describe: 'a session with no activity for this long ends',
    defaultText: '1800000 (30 min)', parse: integer(1_000, 7 * 24 * 3600_000), fallback: () => 30 * 60_000,
  }),
  sessionLifetimeMs: option({
    value: '<ms>', env: 'ROOMTONE_SESSION_LIFETIME_MS', commands: START, group: 'room',
    describe: 'every session ends this long after joining',
    defaultText: '43200000 (12 h)', parse: integer(1_000, 30 * 24 * 3600_000), fallback: () => 12 * 3600_000,
  }),
  sessionGraceMs: option({
    value: '<ms>', env: 'ROOMTONE_SESSION_GRACE_MS', commands: START, group: 'room',
    describe: 'a session whose last connection closed shows as away this long',
    defaultText: '60000 (60 s)', parse: integer(0, 3600_000), fallback: () => 60_000,
  }),
  compactAfterKb: option<number | undefined>({
    value: '<kb>', env: 'ROOMTONE_COMPACT_AFTER_KB', commands: START, group: 'room',
    describe: 'growth of the set doc\'s history before it is rebuilt (docs/protocol.md M8)',
    defaultText: '2048, or 8 × the set, whichever comes first', parse: kilobytes(1, 1_000_000), fallback: () => undefined,
  }),
  uploadGraceMs: option<number | undefined>({
    value: '<ms>', env: 'ROOMTONE_UPLOAD_GRACE_MS', commands: START, group: 'room',
    describe: 'an unfinished upload untouched this long is removed (docs/files.md)',
    defaultText: '86400000 (24 h)', parse: integer(1_000, 30 * 24 * 3600_000), fallback: () => undefined,
  }),
  maxConnectionsPerAddress: option({
    value: '<n>', env: 'ROOMTONE_MAX_CONNECTIONS_PER_ADDRESS', commands: START, group: 'room',
    describe: 'WebSockets one address may hold (a school behind NAT is one address; docs/security.md H14)',
    defaultText: '400', parse: integer(8, 100_000), fallback: () => 400,
  }),
  resetNotes: option({
    env: 'ROOMTONE_RESET_NOTES', inConfigFile: false, commands: ['start'], group: 'room',
    describe: 'once, when saved notes are broken: copy them aside (0600) and start those rooms with empty notes (H13)',
    defaultText: 'off: broken notes stop the start', parse: boolean, fallback: () => false,
  }),
  ratePerSecond: option({
    value: '<n>', env: 'ROOMTONE_RATE_PER_SECOND', commands: START, group: 'room',
    describe: 'commands a session may send per second (benchmarks raise it)',
    defaultText: '30', parse: integer(1, 1_000_000), fallback: () => 30,
  }),
  rateBurst: option({
    value: '<n>', env: 'ROOMTONE_RATE_BURST', commands: START, group: 'room',
    describe: 'commands a session may send at once before the rate applies',
    defaultText: '60', parse: integer(1, 1_000_000), fallback: () => 60,
  }),
  modelUrl: option<string | undefined>({
    value: '<url>', env: 'ROOMTONE_MODEL_URL', commands: START, group: 'room',
    describe: 'an OpenAI-compatible API on the LAN for words the parser gives up on (with --model-name; its key only in ROOMTONE_MODEL_KEY; docs/words.md)',
    defaultText: 'none: words are understood on this machine only', parse: httpUrl, fallback: () => undefined,
  }),
  modelName: option<string | undefined>({
    value: '<name>', env: 'ROOMTONE_MODEL_NAME', commands: START, group: 'room',
    describe: 'the model --model-url is asked for',
    defaultText: 'none', parse: text, fallback: () => undefined,
  }),
  modelTimeoutMs: option({
    value: '<ms>', env: 'ROOMTONE_MODEL_TIMEOUT_MS', commands: START, group: 'room',
    describe: 'how long an answer from the model may take before the words are answered without it',
    defaultText: '20000 (20 s)', parse: integer(500, 300_000), fallback: () => 20_000,
  }),
  mdnsUnicast: option<{ ip: string; port: number } | undefined>({
    value: '<ip:port>', env: 'ROOMTONE_MDNS_UNICAST', commands: [...START, 'discover'], group: 'tests',
    describe: 'tests: speak mDNS by unicast to one responder instead of multicast',
    defaultText: 'multicast', parse: hostPort, fallback: () => undefined,
  }),
  mdnsBind: option<string | undefined>({
    value: '<address>', env: 'ROOMTONE_MDNS_BIND', commands: [...START, 'discover'], group: 'tests',
    describe: 'tests: the local address for --mdns-unicast',
    defaultText: 'any', parse: text, fallback: () => undefined,
  }),
  timeout: option({
    value: '<ms>', commands: ['discover'], group: 'command',
    describe: 'how long to listen for answers',
    defaultText: '3000', parse: integer(50, 600_000), fallback: () => 3_000,
  }),
  json: option({
    commands: ['discover', 'doctor', 'service status'], group: 'command',
    describe: 'print JSON instead of lines for people',
    defaultText: 'off', parse: boolean, fallback: () => false,
  }),
  dest: option<string | undefined>({
    value: '<dir>', env: 'ROOMTONE_REMOTE_SCRIPTS_DIR', commands: ['install-remote-script', 'doctor', ...START], group: 'command',
    describe: 'Live\'s "Remote Scripts" folder, when the User Library is not where Live puts it (start reads the agent secret there)',
    defaultText: '<User Library>/Remote Scripts', parse: absolutePath, fallback: () => undefined,
  }),
  src: option<string | undefined>({
    value: '<dir>', inConfigFile: false, commands: ['install-remote-script'], group: 'tests',
    describe: 'tests: copy another Remote Script package folder instead of this version\'s',
    defaultText: 'remote-script/Roomtone of this package', parse: absolutePath, fallback: () => undefined,
  }),
  dryRun: option({
    commands: ['install-remote-script'], group: 'command',
    describe: 'list what would be copied and copy nothing',
    defaultText: 'off', parse: boolean, fallback: () => false,
  }),
} satisfies Record<string, OptionSpec<unknown>>;

export type OptionKey = keyof typeof OPTIONS;
export type Settings = { [K in OptionKey]: ReturnType<typeof OPTIONS[K]['parse']> | ReturnType<typeof OPTIONS[K]['fallback']> };

/** `httpPort` → `--http-port`; a negated switch gets its `no-`. */
export function flagOf(key: OptionKey): string {
  const kebab = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return `--${'negated' in OPTIONS[key] && OPTIONS[key].negated ? 'no-' : ''}${kebab}`;
}

export function optionsFor(command: CommandName): OptionKey[] {
  return (Object.keys(OPTIONS) as OptionKey[]).filter((key) => (OPTIONS[key].commands).includes(command));
}

/** For the config file: each key the table allows there. */
export function configFileKeys(): OptionKey[] {
  return (Object.keys(OPTIONS) as OptionKey[]).filter((key) => OPTIONS[key].inConfigFile !== false);
}
