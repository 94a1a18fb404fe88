import { describe, it, expect, afterEach } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { advertise, type Advertisement } from '../../server/discovery/advertise.ts';
import { freeUdpPort, loopbackMdnsPair } from '../helpers/free-udp-port.ts';

const BIN = fileURLToPath(new URL('../../bin/roomtone.mjs', import.meta.url));
const FP = Array.from({ length: 32 }, () => 'AB').join(':');

function run(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout }));
  });
}

let ad: Advertisement | null = null;
afterEach(async () => { await ad?.stop(); ad = null; });

describe('npx roomtone discover', () => {
  it('lists a server advertised on loopback, with its port and fingerprint', async () => {
    const pair = await loopbackMdnsPair();
    ad = advertise({ httpsPort: 18443, fingerprint256: FP, name: 'CLI room', transport: pair.advertiser });
    const { code, stdout } = await run(['discover', '--json', '--timeout', '3000', '--mdns-unicast', `127.0.0.1:${pair.port}`, '--mdns-bind', '127.0.0.2']);
    expect(code).toBe(0);
    const servers = JSON.parse(stdout) as Array<{ name: string; port: number; fingerprint256: string; url: string }>;
    expect(servers).toContainEqual(expect.objectContaining({ name: 'CLI room', port: 18443, fingerprint256: FP, url: 'https://127.0.0.1:18443' }));
  }, 20_000);

  it('says plainly when nothing answers and exits non-zero', async () => {
    const { code, stdout } = await run(['discover', '--timeout', '200', '--mdns-unicast', `127.0.0.1:${await freeUdpPort()}`, '--mdns-bind', '127.0.0.2']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/No Roomtone server answered/);
  }, 20_000);
});
