import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from './config.ts';

describe('configuration of sessions, certificates and mDNS', () => {
  it('keeps certificates beside the code by default, whatever the working directory', () => {
    expect(parseConfig([], {}).certsDir).toBe(path.resolve(fileURLToPath(new URL('../certs', import.meta.url))));
  });

  it('binds sessions exactly unless told to widen to the subnet', () => {
    expect(parseConfig([], {}).ipBinding).toBe('exact');
    expect(parseConfig(['--ip-binding', 'subnet'], {}).ipBinding).toBe('subnet');
    expect(parseConfig([], { ROOMTONE_IP_BINDING: 'subnet' }).ipBinding).toBe('subnet');
    expect(() => parseConfig(['--ip-binding', 'any'], {})).toThrow(/exact or subnet/);
  });

  it('reads session timings and the test-only unicast mDNS transport from the environment', () => {
    const config = parseConfig([], { ROOMTONE_SESSION_IDLE_MS: '60000', ROOMTONE_SESSION_GRACE_MS: '0', ROOMTONE_MDNS_UNICAST: '127.0.0.2:5400', ROOMTONE_MDNS_BIND: '127.0.0.1' });
    expect(config.session).toMatchObject({ idleTimeoutMs: 60_000, graceMs: 0 });
    expect(config.mdnsTransport).toEqual({ multicast: false, ip: '127.0.0.2', port: 5400, bind: '127.0.0.1' });
  });
});
