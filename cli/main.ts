import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError } from '../server/config.ts';
import { PACKAGE_VERSION } from '../server/util/package-root.ts';
import { OPTIONS, flagOf, optionsFor, type CommandName, type OptionKey, type OptionSpec } from './options/option-table.ts';
import { closest, loadDotEnv, resolveSettings, type Resolved } from './options/resolve.ts';
import { ValueError } from './options/values.ts';
import { userFolders } from './paths/user-folders.ts';

/** What a command's action returns: an exit code, or `running` for a server that now runs until stopped. */
export type Outcome = number | 'running';

interface CommandDef {
  name: CommandName;
  summary: string;
  run(resolved: Resolved, rawArgs: string[]): Promise<Outcome>;
}

const DEFINITIONS: CommandDef[] = [
  {
    name: 'start',
    summary: 'run the room: the server, the host agent and (without Live) the simulator',
    run: async (r) => {
      const { runStart } = await import('./start.ts');
      const code = await runStart({ settings: r.settings, from: r.from, configFile: r.configFile, dotenv: dotenvKeys });
      return code === 0 ? 'running' : code;
    },
  },
  {
    name: 'discover',
    summary: 'list the Roomtone servers on this network (mDNS)',
    run: async (r) => (await import('./commands/discover.ts')).runDiscover(r.settings),
  },
  {
    name: 'doctor',
    summary: 'check this machine: Node, Python, ports, the Remote Script, Live, certificates, mDNS, firewall',
    run: async (r) => (await import('./commands/doctor.ts')).runDoctor(r),
  },
  {
    name: 'service install',
    summary: 'start Roomtone at login (launchd, a scheduled task or a systemd user unit), with these options',
    run: async (r, raw) => (await import('./commands/service.ts')).runServiceInstall(r, raw),
  },
  {
    name: 'service uninstall',
    summary: 'stop Roomtone and no longer start it at login',
    run: async (r) => (await import('./commands/service.ts')).runServiceUninstall(r),
  },
  {
    name: 'service status',
    summary: 'whether the service is installed and running; its URLs, join code, admin PIN and QR code',
    run: async (r) => (await import('./commands/service.ts')).runServiceStatus(r),
  },
  {
    name: 'install-remote-script',
    summary: 'copy the Roomtone Remote Script into Live\'s User Library',
    run: async (r) => (await import('./commands/install-remote-script.ts')).runInstallRemoteScript(r.settings),
  },
];

let dotenvKeys: string[] = [];

/**
 * The `roomtone` command. Options come from one table (cli/options/option-table.ts):
 * flags over environment (.env included) over the config file over defaults. A bad
 * option or value is one line and a hint, exit 2; --help and --version exit 0.
 */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<Outcome> {
  dotenvKeys = loadDotEnv(path.resolve('.env'), env);
  const unknown = unknownCommand(argv);
  if (unknown) {
    process.stderr.write(`${unknown}\n`);
    return 2;
  }
  let outcome: Outcome = 0;
  const program = new Command('roomtone')
    .description('One Ableton Live set, shared by the whole room.\nWith no command, `roomtone` is `roomtone start`.')
    .version(PACKAGE_VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .helpCommand(false);
  configure(program, 'roomtone');
  const groups = new Map<string, Command>();
  for (const def of DEFINITIONS) {
    const [first, leaf] = def.name.split(' ') as [string, string | undefined];
    let parent = program;
    if (leaf) {
      parent = groups.get(first) ?? program.command(first).description(`${first} ${DEFINITIONS.filter((d) => d.name.startsWith(`${first} `)).map((d) => d.name.split(' ')[1]).join(' | ')}`);
      configure(parent.helpCommand(false), `roomtone ${first}`);
      groups.set(first, parent);
    }
    const cmd = parent.command(leaf ?? first, { isDefault: def.name === 'start' }).description(def.summary);
    configure(cmd, `roomtone ${def.name}`);
    for (const key of optionsFor(def.name)) cmd.addOption(commanderOption(key));
    if (optionsFor(def.name).includes('dataDir')) cmd.addHelpText('after', () => foldersHelp(env));
    cmd.action(async (_options: unknown, command: Command) => {
      const flags: Partial<Record<OptionKey, unknown>> = {};
      for (const key of optionsFor(def.name)) if (command.getOptionValueSource(key) === 'cli') flags[key] = command.getOptionValue(key);
      let resolved: Resolved;
      try {
        resolved = resolveSettings({ command: def.name, flags, env, ctx: { folders: userFolders({ env }), platform: process.platform } });
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        process.stderr.write(`roomtone ${def.name}: ${err.message}\nSee \`roomtone ${def.name} --help\` for the options.\n`);
        outcome = 2;
        return;
      }
      const rawArgs = argv.slice(argv.indexOf(leaf ?? first) + 1);
      outcome = await def.run(resolved, rawArgs);
    });
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    return ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(err.code) ? 0 : 2;
  }
  return outcome;
}

function commanderOption(key: OptionKey): Option {
  const spec: OptionSpec<unknown> = OPTIONS[key];
  const where = [spec.env ? `env ${spec.env}` : null, `default: ${spec.defaultText}`].filter(Boolean).join('; ');
  const option = new Option(`${flagOf(key)}${spec.value ? ` ${spec.value}` : ''}`, `${spec.describe} (${where})`);
  if (spec.value) {
    option.argParser((raw: string) => {
      try {
        return spec.parse(raw);
      } catch (err) {
        if (err instanceof ValueError) throw new InvalidArgumentError(err.message);
        throw err;
      }
    });
  }
  return option;
}

/** Commander's errors as one line (its suggestion folded in) and a hint; help as usual. */
function configure(cmd: Command, name: string): void {
  cmd.exitOverride().showSuggestionAfterError(true).configureOutput({
    outputError: (text, write) => {
      const line = text.trim()
        .replace(/^error: /, '')
        .replace(/^option '(-[\w-]+)[^']*' argument '[^]*' is invalid\. /, '$1 ')
        .replace(/\n\(Did you mean (.+)\)$/m, ' (did you mean $1)')
        .replace(/\n/g, ' ');
      write(`${name}: ${line}\nSee \`${name} --help\` for the options.\n`);
    },
  });
}

/** Where the per-user defaults are on this machine, under a command's options. */
function foldersHelp(env: NodeJS.ProcessEnv): string {
  const f = userFolders({ env });
  return `\nOn this machine: config ${path.join(f.config, 'config.json')}, data ${f.data}, certificates ${f.certs}, logs ${f.logs}.\nOrder: flags, then ROOMTONE_* variables (and .env), then config.json, then defaults.`;
}

/** `roomtone strat`: say so, instead of "too many arguments for 'start'". */
function unknownCommand(argv: string[]): string | null {
  const first = argv[0];
  if (first === undefined || first.startsWith('-')) return null;
  const known = [...new Set(DEFINITIONS.map((d) => d.name.split(' ')[0]!))];
  if (known.includes(first)) return null;
  const near = closest(first, known);
  return `roomtone: unknown command '${first}'${near ? ` (did you mean ${near}?)` : ''}\nSee \`roomtone --help\` for the commands.`;
}
