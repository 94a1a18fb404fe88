import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../server/util/package-root.ts';
import { SCRIPT_SECRET_FILE } from '../../protocol/script-auth.ts';

export const SCRIPT_PACKAGE = 'Roomtone';
/** The Remote Script as this version of Roomtone ships it. */
export const SCRIPT_SOURCE = path.join(PACKAGE_ROOT, 'remote-script', SCRIPT_PACKAGE);

const SKIP_DIRS = new Set(['__pycache__', 'tests', '.pytest_cache', '.mypy_cache']);
// agent.secret: a run of the script from the source made one there; the installed script keeps its own.
const skipFile = (name: string): boolean => name.endsWith('.pyc') || name.endsWith('.pyo') || name === '.DS_Store' || name === SCRIPT_SECRET_FILE;

export interface RemoteScriptsDir {
  dir?: string;
  source?: 'given' | 'default';
  error?: string;
}

/**
 * Live's "Remote Scripts" folder in its User Library: given (--dest,
 * ROOMTONE_REMOTE_SCRIPTS_DIR, config.json), or where Live creates the User Library.
 */
export function remoteScriptsDir({ dest, platform = process.platform, home = os.homedir(), env = process.env }: {
  dest?: string | undefined; platform?: NodeJS.Platform; home?: string; env?: Record<string, string | undefined>;
}): RemoteScriptsDir {
  if (dest) return { dir: path.resolve(dest), source: 'given' };
  let userLibrary: string;
  if (platform === 'darwin') userLibrary = path.join(home, 'Music', 'Ableton', 'User Library');
  else if (platform === 'win32') userLibrary = path.join(env.USERPROFILE || home, 'Documents', 'Ableton', 'User Library');
  else {
    return {
      error: [
        `Ableton Live does not run on ${platform}, so there is no default place for the Remote Script.`,
        'To copy it somewhere anyway (a mounted share of the studio Mac or PC), name the "Remote Scripts"',
        'folder: roomtone install-remote-script --dest <dir> (or ROOMTONE_REMOTE_SCRIPTS_DIR).',
        'To try Roomtone without Live, `roomtone start` runs the simulator.',
      ].join('\n'),
    };
  }
  if (!fs.existsSync(userLibrary)) {
    return {
      error: [
        `Live's User Library was not found at ${userLibrary}.`,
        'Start Live once (it creates the User Library), or, if you moved it, find it in Live > Settings >',
        'Library and run: roomtone install-remote-script --dest "<User Library>/Remote Scripts"',
      ].join('\n'),
    };
  }
  return { dir: path.join(userLibrary, 'Remote Scripts'), source: 'default' };
}

/**
 * The agent secret Live's copy of the script uses: next to the installed script, which
 * makes it when Live first loads it. Null where Live has no default place (Linux).
 */
export function liveSecretFile(dest: string | undefined): string | null {
  const where = remoteScriptsDir({ dest });
  return where.dir ? path.join(where.dir, SCRIPT_PACKAGE, SCRIPT_SECRET_FILE) : null;
}

/** The package's files, relative to its folder (no caches, no tests). */
export function scriptFiles(srcDir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(srcDir, rel), { withFileTypes: true })) {
    const r = path.join(rel, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...scriptFiles(srcDir, r));
    } else if (entry.isFile() && !skipFile(entry.name)) {
      out.push(r);
    }
  }
  return out.sort();
}

/** One hash over the names and contents: equal when an installed copy is this version's. */
export function scriptDigest(dir: string): string {
  const hash = createHash('sha256');
  for (const file of scriptFiles(dir)) hash.update(file.split(path.sep).join('/')).update('\0').update(fs.readFileSync(path.join(dir, file))).update('\0');
  return hash.digest('hex');
}

export interface InstallResult { target: string; files: string[]; replaced: boolean }

export function installScript({ src, remoteScripts, dryRun = false, log }: { src: string; remoteScripts: string; dryRun?: boolean; log: (line: string) => void }): InstallResult {
  if (!fs.existsSync(path.join(src, '__init__.py'))) throw new Error(`${src} is not the ${SCRIPT_PACKAGE} package (no __init__.py)`);
  const target = path.join(remoteScripts, SCRIPT_PACKAGE);
  const rel = path.relative(src, target);
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) throw new Error(`refusing to install into the source folder itself (${target})`);
  const files = scriptFiles(src);
  const replaced = fs.existsSync(target);
  if (dryRun) {
    log(`Would copy ${files.length} files from ${src} to ${target}:`);
    for (const f of files) log(`  ${f}`);
    return { target, files, replaced };
  }
  fs.mkdirSync(remoteScripts, { recursive: true });
  // The secret the agent proves itself with (H9) outlives a reinstall: a running Live keeps it.
  const secretFile = path.join(target, SCRIPT_SECRET_FILE);
  const secret = fs.existsSync(secretFile) ? fs.readFileSync(secretFile) : null;
  if (replaced) fs.rmSync(target, { recursive: true, force: true });
  for (const f of files) {
    const to = path.join(target, f);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(src, f), to);
  }
  if (secret) fs.writeFileSync(secretFile, secret, { mode: 0o600 });
  log(`${replaced ? 'Replaced' : 'Installed'} ${SCRIPT_PACKAGE}: copied ${files.length} files`);
  log(`  from ${src}`);
  log(`  to   ${target}`);
  return { target, files, replaced };
}
