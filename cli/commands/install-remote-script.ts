import type { Settings } from '../options/option-table.ts';
import { SCRIPT_PACKAGE, SCRIPT_SOURCE, installScript, remoteScriptsDir } from '../remote-script/remote-script-files.ts';

/** `roomtone install-remote-script`: copies the Remote Script into Live's User Library. */
export function runInstallRemoteScript(s: Settings): number {
  const where = remoteScriptsDir({ dest: s.dest });
  if (!where.dir) {
    process.stderr.write(`${where.error}\n`);
    return 1;
  }
  try {
    installScript({ src: s.src ?? SCRIPT_SOURCE, remoteScripts: where.dir, dryRun: s.dryRun, log: (line) => process.stdout.write(`${line}\n`) });
  } catch (err) {
    process.stderr.write(`roomtone install-remote-script: ${(err as Error).message}\n`);
    return 1;
  }
  if (!s.dryRun) {
    process.stdout.write([
      '',
      'Next: restart Live (or open Settings), then in Settings > Link, Tempo & MIDI choose',
      `"${SCRIPT_PACKAGE}" as a Control Surface with Input and Output set to None.`,
      'It listens on 127.0.0.1:47800; Live\'s Log.txt shows "Roomtone: listening on ...".',
      '`roomtone doctor` checks that the installed copy matches this version.',
      '',
    ].join('\n'));
  }
  return 0;
}
