import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync } from 'node:fs';
import path from 'node:path';

export interface LegacyFolders {
  /** Where Roomtone used to keep data: ./data of the folder it was started from. */
  legacyData: string;
  /** Where it used to keep certificates: certs/ inside the package (a new CA per version). */
  legacyCerts: string;
  dataDir: string;
  certsDir: string;
  /** Only folders the user did not choose are filled from the old places. */
  dataIsDefault: boolean;
  certsIsDefault: boolean;
}

export interface MigrationResult {
  moved: Array<{ what: 'data' | 'certificates'; from: string; to: string }>;
  /** Old folders left alone because the new place is already in use. */
  leftAlone: Array<{ what: 'data' | 'certificates'; from: string; to: string }>;
}

/**
 * Moves an existing ./data and a package-local certs/ into the per-user folders, once:
 * the room keeps its sessions and notes, and tablets keep trusting the same CA after
 * an upgrade. Only folders that are plainly Roomtone's are moved (a ./data of someone
 * else's project is not), and nothing is overwritten; the caller says so in the log.
 */
export function migrateLegacyFolders(f: LegacyFolders): MigrationResult {
  const result: MigrationResult = { moved: [], leftAlone: [] };
  const consider = (what: 'data' | 'certificates', from: string, to: string, isDefault: boolean, marker: (dir: string) => boolean): void => {
    if (!isDefault || path.resolve(from) === path.resolve(to) || !marker(from)) return;
    if (marker(to) || !isEmptyOrMissing(to)) {
      result.leftAlone.push({ what, from, to });
      return;
    }
    moveFolder(from, to);
    result.moved.push({ what, from, to });
  };
  consider('data', f.legacyData, f.dataDir, f.dataIsDefault, (dir) => existsSync(path.join(dir, 'state.json')) || existsSync(path.join(dir, 'agent.token')));
  consider('certificates', f.legacyCerts, f.certsDir, f.certsIsDefault, (dir) => existsSync(path.join(dir, 'ca.crt')) && existsSync(path.join(dir, 'ca.key')));
  return result;
}

function isEmptyOrMissing(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

function moveFolder(from: string, to: string): void {
  mkdirSync(path.dirname(to), { recursive: true, mode: 0o700 });
  if (existsSync(to)) rmdirSync(to);
  try {
    renameSync(from, to);
  } catch (err) {
    // Another disk (a checkout on an external drive): copy, then remove the original.
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    cpSync(from, to, { recursive: true, preserveTimestamps: true, errorOnExist: true, force: false });
    rmSync(from, { recursive: true, force: true });
  }
}
