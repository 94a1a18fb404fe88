import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateLegacyFolders, type LegacyFolders } from './migrate.ts';

const temps: string[] = [];
afterEach(() => { while (temps.length) rmSync(temps.pop()!, { recursive: true, force: true }); });

function layout(): LegacyFolders & { root: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'roomtone-migrate-'));
  temps.push(root);
  return {
    root,
    legacyData: path.join(root, 'cwd', 'data'),
    legacyCerts: path.join(root, 'package', 'certs'),
    dataDir: path.join(root, 'user', 'data'),
    certsDir: path.join(root, 'user', 'certs'),
    dataIsDefault: true,
    certsIsDefault: true,
  };
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

describe('the one-time move to the per-user folders', () => {
  it('moves ./data and the package\'s certs/ (the CA with it) and says what it moved', () => {
    const f = layout();
    write(path.join(f.legacyData, 'state.json'), '{"rooms":{}}');
    write(path.join(f.legacyData, 'audit', 'audit-000001.json'), '[]');
    write(path.join(f.legacyCerts, 'ca.crt'), 'CA');
    write(path.join(f.legacyCerts, 'ca.key'), 'KEY');
    const result = migrateLegacyFolders(f);
    expect(result.moved).toEqual([
      { what: 'data', from: f.legacyData, to: f.dataDir },
      { what: 'certificates', from: f.legacyCerts, to: f.certsDir },
    ]);
    expect(readFileSync(path.join(f.dataDir, 'audit', 'audit-000001.json'), 'utf8')).toBe('[]');
    expect(readFileSync(path.join(f.certsDir, 'ca.key'), 'utf8')).toBe('KEY');
    expect(existsSync(f.legacyData)).toBe(false);
    expect(migrateLegacyFolders(f)).toEqual({ moved: [], leftAlone: [] });
  });

  it('leaves a ./data that is not Roomtone\'s, folders the user chose, and never overwrites', () => {
    const f = layout();
    write(path.join(f.legacyData, 'photos.txt'), 'mine');
    expect(migrateLegacyFolders(f).moved).toEqual([]);
    expect(existsSync(path.join(f.legacyData, 'photos.txt'))).toBe(true);

    write(path.join(f.legacyData, 'state.json'), '{}');
    expect(migrateLegacyFolders({ ...f, dataIsDefault: false }).moved).toEqual([]);

    write(path.join(f.dataDir, 'state.json'), '{"newer":true}');
    const result = migrateLegacyFolders(f);
    expect(result.moved).toEqual([]);
    expect(result.leftAlone).toEqual([{ what: 'data', from: f.legacyData, to: f.dataDir }]);
    expect(readFileSync(path.join(f.dataDir, 'state.json'), 'utf8')).toBe('{"newer":true}');
  });
});
