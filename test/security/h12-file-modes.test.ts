import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinAs, startRoomServer, type RoomServer } from '../helpers/room-server.ts';

const modeOf = async (p: string): Promise<number> => (await fs.stat(p)).mode & 0o777;

/**
 * H12 (docs/security.md): data files lost 0600 at their first rewrite (lowdb made its
 * temp file with the default mode), and folders made by someone else kept theirs. Every
 * rewrite keeps 0600, and the data and certs folders are 0700 whoever created them.
 */
describe.skipIf(process.platform === 'win32')('H12 data files lose mode 0600', () => {
  let rs: RoomServer;
  let root: string;
  let dataDir: string;
  let certsDir: string;
  // Reading the umask is what the test is about; no other thread of this process writes it.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const umask = process.umask();

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'roomtone-h12-'));
    dataDir = path.join(root, 'data');
    certsDir = path.join(root, 'certs');
    // An installer or a user made the folders, world-readable, under the usual umask.
    process.umask(0o022);
    await fs.mkdir(dataDir, { mode: 0o755 });
    await fs.mkdir(certsDir, { mode: 0o755 });
    rs = await startRoomServer({ dataDir, config: { certsDir } });
  });
  afterAll(async () => {
    process.umask(umask);
    await rs?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('H12 state, notes and audit files stay 0600 after rewrites, and the data and certs folders are 0700', async () => {
    for (let i = 0; i < 3; i++) {
      await joinAs(rs, `Student ${i}`);
      await rs.server.parts.store.flush();
    }
    expect(rs.server.parts.store.state.writeCount).toBeGreaterThan(1);
    expect(await modeOf(dataDir)).toBe(0o700);
    expect(await modeOf(certsDir)).toBe(0o700);
    expect(await modeOf(path.join(dataDir, 'audit'))).toBe(0o700);
    const files = ['state.json', 'notes.json', 'agent.token', ...(await fs.readdir(path.join(dataDir, 'audit'))).map((f) => path.join('audit', f))];
    for (const f of files) expect([f, await modeOf(path.join(dataDir, f))]).toEqual([f, 0o600]);
    for (const f of ['ca.key', 'server.key']) expect([f, await modeOf(path.join(certsDir, f))]).toEqual([f, 0o600]);
  });
});
