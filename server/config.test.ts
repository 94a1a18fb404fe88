import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULTS, parseConfig } from './config.ts';

describe('server configuration', () => {
  it('uses the documented defaults', () => {
    const config = parseConfig([], {});
    expect(config.port).toBe(8443);
    expect(config.httpPort).toBe(8080);
    expect(config.live).toBe('auto');
    expect(config.mdns).toBe(true);
    expect(config.rateLimit).toEqual(DEFAULTS.rateLimit);
  });

  it('reads every option from the environment', () => {
    const config = parseConfig([], {
      ROOMTONE_PORT: '0', ROOMTONE_HTTP_PORT: '9090', ROOMTONE_DATA_DIR: '/tmp/x', ROOMTONE_LIVE: 'sim',
      ROOMTONE_MDNS: '0', ROOMTONE_JOIN_CODE: '1234', ROOMTONE_ADMIN_PIN: '9876',
    });
    expect(config).toMatchObject({ port: 0, httpPort: 9090, dataDir: '/tmp/x', live: 'sim', mdns: false, joinCode: '1234', adminPin: '9876' });
  });

  it('lets flags win over the environment, in both --flag value and --flag=value forms', () => {
    const config = parseConfig(['--port', '0', '--live=real', '--no-mdns', '--rate-per-second', '5000'], { ROOMTONE_PORT: '9999', ROOMTONE_LIVE: 'sim' });
    expect(config.port).toBe(0);
    expect(config.live).toBe('real');
    expect(config.mdns).toBe(false);
    expect(config.rateLimit.perSecond).toBe(5000);
  });

  it('refuses bad values with a clear message instead of guessing', () => {
    expect(() => parseConfig(['--port', 'eighty'], {})).toThrow(ConfigError);
    expect(() => parseConfig(['--port', '70000'], {})).toThrow(/0 to 65535/);
    expect(() => parseConfig(['--live', 'maybe'], {})).toThrow(/auto, sim or real/);
    expect(() => parseConfig(['--bogus'], {})).toThrow(/unknown option/);
    expect(() => parseConfig(['--port'], {})).toThrow(/needs a value/);
  });

  it('takes the hardening options: --reset-notes and --max-connections-per-address, or their variables', () => {
    expect(parseConfig([], {})).toMatchObject({ resetNotes: false, maxConnectionsPerAddress: 400 });
    expect(parseConfig(['--reset-notes', '--max-connections-per-address', '900'], {})).toMatchObject({ resetNotes: true, maxConnectionsPerAddress: 900 });
    expect(parseConfig([], { ROOMTONE_RESET_NOTES: '1', ROOMTONE_MAX_CONNECTIONS_PER_ADDRESS: '50' })).toMatchObject({ resetNotes: true, maxConnectionsPerAddress: 50 });
    expect(() => parseConfig(['--max-connections-per-address', '2'], {})).toThrow(/8 to 100000/);
  });
});
