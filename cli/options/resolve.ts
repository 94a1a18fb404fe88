import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { ConfigError } from '../../server/config.ts';
import { OPTIONS, configFileKeys, flagOf, optionsFor, type CommandName, type DefaultsContext, type OptionKey, type OptionSpec, type Settings } from './option-table.ts';
import { ValueError } from './values.ts';

export type Source = 'flag' | 'env' | 'config' | 'default';

export interface Resolved {
  settings: Settings;
  from: Record<OptionKey, Source>;
  /** The config file that was read, or null when there was none. */
  configFile: string | null;
}

export interface ResolveInput {
  command: CommandName;
  /** Values given on the command line, already parsed (commander ran each option's parser). */
  flags: Partial<Record<OptionKey, unknown>>;
  env: Record<string, string | undefined>;
  ctx: DefaultsContext;
}

/**
 * Flags win over the environment (.env included), which wins over the config file in
 * the user's config folder, which wins over the defaults. An empty environment
 * variable counts as unset, so `ROOMTONE_JOIN_CODE=` in a script clears an inherited one.
 */
export function resolveSettings({ command, flags, env, ctx }: ResolveInput): Resolved {
  const keys = optionsFor(command);
  const settings: Record<string, unknown> = {};
  const from: Record<string, Source> = {};
  for (const key of Object.keys(OPTIONS) as OptionKey[]) {
    settings[key] = OPTIONS[key].fallback(ctx);
    from[key] = 'default';
  }
  const fromEnv = (key: OptionKey): unknown => {
    const spec: OptionSpec<unknown> = OPTIONS[key];
    const raw = spec.env ? env[spec.env] : undefined;
    if (raw === undefined || raw === '') return undefined;
    return parseOr(spec, raw, `${spec.env}`);
  };

  // The config file's own path is resolved first: it decides what else is read.
  const configPath = (flags.config as string | undefined) ?? (fromEnv('config') as string | undefined) ?? (settings.config as string);
  const file = keys.includes('config') ? readConfigFile(configPath) : null;

  for (const key of keys) {
    const spec: OptionSpec<unknown> = OPTIONS[key];
    if (flags[key] !== undefined) {
      settings[key] = flags[key];
      from[key] = 'flag';
      continue;
    }
    const envValue = fromEnv(key);
    if (envValue !== undefined) {
      settings[key] = envValue;
      from[key] = 'env';
      continue;
    }
    if (file && key in file.values) {
      settings[key] = parseOr(spec, configText(file.values[key], `${file.name}: "${key}"`), `${file.name}: "${key}"`);
      from[key] = 'config';
    }
  }
  return { settings: settings as Settings, from: from, configFile: file ? configPath : null };
}

function parseOr(spec: OptionSpec<unknown>, raw: string, where: string): unknown {
  try {
    return spec.parse(raw);
  } catch (err) {
    if (err instanceof ValueError) throw new ConfigError(`${where} ${err.message}`);
    throw err;
  }
}

function configText(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ConfigError(`${where} must be a string, a number or true/false`);
}

interface ConfigFile { name: string; values: Record<string, unknown> }

/** A missing file is no file; a file that is not a JSON object of known keys stops the start. */
function readConfigFile(file: string): ConfigFile | null {
  if (!existsSync(file)) return null;
  let values: unknown;
  try {
    values = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof values !== 'object' || values === null || Array.isArray(values)) throw new ConfigError(`${file} must hold one JSON object, such as { "port": 8443 }`);
  const allowed = configFileKeys() as string[];
  for (const key of Object.keys(values)) {
    if (!allowed.includes(key)) {
      const near = closest(key, allowed);
      throw new ConfigError(`${file}: unknown setting "${key}"${near ? ` (did you mean "${near}"?)` : ''}`);
    }
  }
  return { name: file, values: values as Record<string, unknown> };
}

/**
 * Reads KEY=value lines from a .env file into `env`, without overriding what the
 * environment already holds, and only ROOMTONE_* keys: a stray NODE_OPTIONS or PATH in
 * a folder's .env must not change how Roomtone or its children run.
 */
export function loadDotEnv(file: string, env: Record<string, string | undefined>): string[] {
  if (!existsSync(file)) return [];
  const parsed = parseEnv(readFileSync(file, 'utf8'));
  const applied: string[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (!key.startsWith('ROOMTONE_') || env[key] !== undefined || value === undefined) continue;
    env[key] = value;
    applied.push(key);
  }
  return applied;
}

/** Every environment variable the table reads, for the docs and `doctor`. */
export function environmentVariables(): Array<{ name: string; key: OptionKey; flag: string }> {
  return (Object.keys(OPTIONS) as OptionKey[]).flatMap((key) => {
    const spec: OptionSpec<unknown> = OPTIONS[key];
    return spec.env ? [{ name: spec.env, key, flag: flagOf(key) }] : [];
  });
}

/** The known name nearest to a typo, when it is near enough to be what was meant. */
export function closest(word: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : null;
}

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}
