#!/usr/bin/env node
// Copies the Roomtone Remote Script (remote-script/Roomtone) into Ableton Live's
// User Library "Remote Scripts" folder, so Live lists "Roomtone" as a Control Surface.
//
//   npm run install-remote-script [-- --dest <Remote Scripts folder>] [-- --dry-run]
//
// Default destination:
//   macOS    ~/Music/Ableton/User Library/Remote Scripts/Roomtone
//   Windows  %USERPROFILE%\Documents\Ableton\User Library\Remote Scripts\Roomtone
// --dest <dir> or ROOMTONE_REMOTE_SCRIPTS_DIR names the "Remote Scripts" folder itself;
// the package is written to <dir>/Roomtone (replacing an earlier copy there).
// No dependencies: Node's standard library only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = 'Roomtone';
const SKIP_DIRS = new Set(['__pycache__', 'tests', '.pytest_cache', '.mypy_cache']);
// agent.secret: a dev run of the script made one next to the source; the installed script makes its own.
const SKIP_FILE = (name) => name.endsWith('.pyc') || name.endsWith('.pyo') || name === '.DS_Store' || name === 'agent.secret';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');

function usage() {
  return [
    'Usage: npm run install-remote-script [-- --dest <Remote Scripts folder>] [-- --dry-run]',
    '',
    `Copies remote-script/${PACKAGE}/ (without __pycache__ and tests) to <Remote Scripts>/${PACKAGE}.`,
    'Default <Remote Scripts> folder:',
    '  macOS    ~/Music/Ableton/User Library/Remote Scripts',
    '  Windows  %USERPROFILE%\\Documents\\Ableton\\User Library\\Remote Scripts',
    'Override with --dest <dir> or the ROOMTONE_REMOTE_SCRIPTS_DIR environment variable',
    '(needed when your User Library lives elsewhere: see Live > Settings > Library).',
  ].join('\n');
}

function parseArgs(argv) {
  const opts = { dest: undefined, src: undefined, dryRun: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--dest') opts.dest = value();
    else if (a.startsWith('--dest=')) opts.dest = a.slice('--dest='.length);
    else if (a === '--src') opts.src = value(); // for tests: another source package folder
    else if (a === '--dry-run') opts.dryRun = true;
    else if (a === '--help' || a === '-h') opts.help = true;
    else throw new Error(`unknown argument: ${a}`);
  }
  return opts;
}

/** The "Remote Scripts" folder to install into, or an error message. */
export function remoteScriptsDir({ dest, env = process.env, platform = process.platform, home = os.homedir() }) {
  if (dest) return { dir: path.resolve(dest), source: '--dest' };
  if (env.ROOMTONE_REMOTE_SCRIPTS_DIR) return { dir: path.resolve(env.ROOMTONE_REMOTE_SCRIPTS_DIR), source: 'ROOMTONE_REMOTE_SCRIPTS_DIR' };
  let userLibrary;
  if (platform === 'darwin') userLibrary = path.join(home, 'Music', 'Ableton', 'User Library');
  else if (platform === 'win32') userLibrary = path.join(env.USERPROFILE || home, 'Documents', 'Ableton', 'User Library');
  else {
    return {
      error: [
        `Ableton Live does not run on ${platform}, so there is no default place to install the Remote Script.`,
        'To copy it somewhere anyway (for example a mounted share of the studio Mac or PC), name the',
        '"Remote Scripts" folder: npm run install-remote-script -- --dest <dir>',
        '(or set ROOMTONE_REMOTE_SCRIPTS_DIR). To try Roomtone without Live, `npm start` runs the simulator.',
      ].join('\n'),
    };
  }
  if (!fs.existsSync(userLibrary)) {
    return {
      error: [
        `Live's User Library was not found at ${userLibrary}.`,
        'Start Live once (it creates the User Library), or, if you moved it, find its location in',
        'Live > Settings > Library and run: npm run install-remote-script -- --dest "<User Library>/Remote Scripts"',
      ].join('\n'),
    };
  }
  return { dir: path.join(userLibrary, 'Remote Scripts'), source: 'default' };
}

function collect(srcDir, rel = '') {
  const out = [];
  for (const entry of fs.readdirSync(path.join(srcDir, rel), { withFileTypes: true })) {
    const r = path.join(rel, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...collect(srcDir, r));
    } else if (entry.isFile() && !SKIP_FILE(entry.name)) {
      out.push(r);
    }
  }
  return out;
}

export function install({ src, remoteScripts, dryRun = false, log = console.log }) {
  if (!fs.existsSync(path.join(src, '__init__.py'))) {
    throw new Error(`${src} is not the ${PACKAGE} package (no __init__.py)`);
  }
  const target = path.join(remoteScripts, PACKAGE);
  const rel = path.relative(src, target);
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) {
    throw new Error(`refusing to install into the source folder itself (${target})`);
  }
  const files = collect(src);
  if (dryRun) {
    log(`Would copy ${files.length} files from ${src} to ${target}:`);
    for (const f of files) log(`  ${f}`);
    return { target, files };
  }
  fs.mkdirSync(remoteScripts, { recursive: true });
  const replaced = fs.existsSync(target);
  // The secret the agent proves itself with (H9) outlives a reinstall: a running Live keeps it.
  const secretFile = path.join(target, 'agent.secret');
  const secret = fs.existsSync(secretFile) ? fs.readFileSync(secretFile) : null;
  if (replaced) fs.rmSync(target, { recursive: true, force: true });
  for (const f of files) {
    const to = path.join(target, f);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(src, f), to);
  }
  if (secret) fs.writeFileSync(secretFile, secret, { mode: 0o600 });
  log(`${replaced ? 'Replaced' : 'Installed'} ${PACKAGE}: copied ${files.length} files`);
  log(`  from ${src}`);
  log(`  to   ${target}`);
  return { target, files, replaced };
}

function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`install-remote-script: ${err.message}\n\n${usage()}`);
    return 2;
  }
  if (opts.help) {
    console.log(usage());
    return 0;
  }
  const where = remoteScriptsDir({ dest: opts.dest });
  if (where.error) {
    console.error(where.error);
    return 1;
  }
  const src = path.resolve(opts.src || path.join(repoRoot, 'remote-script', PACKAGE));
  try {
    install({ src, remoteScripts: where.dir, dryRun: opts.dryRun });
  } catch (err) {
    console.error(`install-remote-script: ${err.message}`);
    return 1;
  }
  if (!opts.dryRun) {
    console.log('');
    console.log('Next: restart Live (or open Settings), then in Settings > Link, Tempo & MIDI choose');
    console.log(`"${PACKAGE}" as a Control Surface with Input and Output set to None.`);
    console.log('It listens on 127.0.0.1:47800; Live\'s Log.txt shows "Roomtone: listening on ...".');
  }
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}
