import { promises as fs } from 'node:fs';
import path from 'node:path';
import { hashToken, newToken } from '../sessions/tokens.ts';

export const DEVICE_TOKEN_FILE = 'agent.token';

/**
 * The host agent's credential. Made at first start; the plain token goes into a
 * 0600 file in the data dir for the local agent, and the server keeps only its hash.
 */
export interface DeviceToken { hash: string; path: string }

export async function ensureDeviceToken(dataDir: string): Promise<DeviceToken> {
  const file = path.join(dataDir, DEVICE_TOKEN_FILE);
  await fs.mkdir(dataDir, { recursive: true });
  let token: string;
  try {
    token = (await fs.readFile(file, 'utf8')).trim();
    if (token.length < 32) throw new Error(`device token in ${file} is too short; delete the file to make a new one`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    token = newToken();
    await fs.writeFile(file, token + '\n', { mode: 0o600 });
  }
  // Whoever made or copied the file, it stays owner-only (H12).
  await fs.chmod(file, 0o600);
  return { hash: hashToken(token), path: file };
}
