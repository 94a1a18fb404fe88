import { describe, it, expect } from 'vitest';
import { canonicalIp, sameBinding, subnetOf } from './ip-binding.ts';
import { originAllowed, isStateChanging } from './origin-check.ts';
import { JoinThrottle } from './join-throttle.ts';
import { PublicNames } from '../http/public-names.ts';
import { PinBudget } from './pin-budget.ts';
import { adminPinProblem, newAdminPin } from './admin-pin.ts';

describe('IP binding', () => {
  it('treats IPv4-mapped IPv6 and the IPv4 spelling as one address', () => {
    expect(canonicalIp('::ffff:127.0.0.2')).toBe('127.0.0.2');
    expect(sameBinding('127.0.0.1', '::ffff:127.0.0.1', 'exact')).toBe(true);
  });

  it('refuses another address under exact binding, even in the same /24', () => {
    expect(sameBinding('127.0.0.1', '127.0.0.2', 'exact')).toBe(false);
    expect(sameBinding('192.168.1.10', '192.168.1.11', 'exact')).toBe(false);
  });

  it('widens to the same /24 or /64 under subnet binding, and no further', () => {
    expect(sameBinding('192.168.1.10', '192.168.1.200', 'subnet')).toBe(true);
    expect(sameBinding('192.168.1.10', '192.168.2.10', 'subnet')).toBe(false);
    expect(sameBinding('fd00:1:2:3::a', 'fd00:1:2:3:ffff::b', 'subnet')).toBe(true);
    expect(sameBinding('fd00:1:2:3::a', 'fd00:1:2:4::a', 'subnet')).toBe(false);
    expect(sameBinding('10.0.0.1', '::ffff:10.0.0.2', 'subnet')).toBe(true);
    expect(sameBinding('', '', 'subnet')).toBe(false);
  });

  it('names subnets canonically', () => {
    expect(subnetOf('fd00::1')).toBe('fd00:0000:0000:0000::/64');
    expect(subnetOf('10.1.2.3')).toBe('10.1.2.0/24');
  });
});

describe('Origin check', () => {
  const own = new PublicNames({ names: () => ['studio', 'studio.local', '192.168.1.5', '::1'], httpsPort: () => 8443, primary: () => '192.168.1.5' });
  const req = (origin: string | undefined, host = '192.168.1.5:8443') => ({ headers: { origin, host } });
  it('accepts our own https origins under any of our names, and requests without one', () => {
    expect(originAllowed(req('https://192.168.1.5:8443'), own)).toBe(true);
    expect(originAllowed(req('https://studio.local:8443'), own)).toBe(true);
    expect(originAllowed(req('https://[::1]:8443'), own)).toBe(true);
    expect(originAllowed(req(undefined), own)).toBe(true);
  });
  it('refuses foreign, plain-http, null and malformed origins', () => {
    expect(originAllowed(req('https://evil.example'), own)).toBe(false);
    expect(originAllowed(req('https://192.168.1.5:9999'), own)).toBe(false);
    expect(originAllowed(req('http://192.168.1.5:8443'), own)).toBe(false);
    expect(originAllowed(req('null'), own)).toBe(false);
    expect(originAllowed(req('https://192.168.1.5:8443/path'), own)).toBe(false);
  });
  it('H16 refuses an origin that matches only the Host header an attacker sent', () => {
    expect(originAllowed(req('https://evil.example:8443', 'evil.example:8443'), own)).toBe(false);
  });
  it('knows which methods change state', () => {
    expect(isStateChanging('POST')).toBe(true);
    expect(isStateChanging('get')).toBe(false);
  });
});

describe('JoinThrottle', () => {
  it('shuts a source out after five failures a minute, with doubling waits', () => {
    let now = 0;
    const t = new JoinThrottle({ now: () => now });
    for (let i = 0; i < 4; i++) expect(t.fail('10.0.0.9')).toBe(0);
    expect(t.fail('10.0.0.9')).toBe(60_000);
    expect(t.retryAfterMs('10.0.0.9')).toBe(60_000);
    expect(t.retryAfterMs('10.0.0.8')).toBe(0);
    now = 60_000;
    expect(t.retryAfterMs('10.0.0.9')).toBe(0);
    for (let i = 0; i < 4; i++) t.fail('10.0.0.9');
    expect(t.fail('10.0.0.9')).toBe(120_000);
  });

  it('forgets failures older than the window', () => {
    let now = 0;
    const t = new JoinThrottle({ now: () => now });
    for (let i = 0; i < 4; i++) t.fail('10.0.0.9');
    now = 61_000;
    expect(t.fail('10.0.0.9')).toBe(0);
  });

  it('counts a whole IPv6 /64 as one source', () => {
    const t = new JoinThrottle({ now: () => 0 });
    for (let i = 1; i <= 5; i++) t.fail(`fd00::${i}`);
    expect(t.retryAfterMs('fd00::99')).toBeGreaterThan(0);
    expect(t.retryAfterMs('fd00:0:0:1::1')).toBe(0);
  });

  it('remembers a bounded number of sources', () => {
    const t = new JoinThrottle({ now: () => 0, maxTracked: 3, maxFailures: 1 });
    for (let i = 0; i < 10; i++) t.fail(`10.0.0.${i}`);
    expect(t.retryAfterMs('10.0.0.9')).toBeGreaterThan(0);
    expect(t.retryAfterMs('10.0.0.0')).toBe(0);
  });
});

describe('PinBudget (H3)', () => {
  it('pauses PIN entry for the whole network once the room’s wrong PINs use up the budget, until the oldest leaves the window', () => {
    let now = 0;
    const b = new PinBudget({ maxFailures: 3, windowMs: 60_000, now: () => now });
    expect(b.fail('10.0.0.1')).toBe(false);
    now = 10_000;
    b.fail('10.0.0.2');
    expect(b.pausedForMs('10.0.0.9')).toBe(0);
    expect(b.fail('fd00::1')).toBe(true);
    expect(b.pausedForMs('10.0.0.9')).toBe(50_000);
    expect(b.pausedForMs('127.0.0.1')).toBe(0); // the studio computer
    expect(b.status()).toEqual({ failures: 3, addresses: 3, windowMs: 60_000, pausedForMs: 50_000 });
    now = 60_000;
    expect(b.pausedForMs('10.0.0.9')).toBe(0);
    expect(b.status().failures).toBe(2);
  });

  it('remembers only as many failures as the budget, whatever the flood', () => {
    const b = new PinBudget({ maxFailures: 10, now: () => 0 });
    for (let i = 0; i < 100_000; i++) b.fail(`10.0.${i >> 8 & 255}.${i & 255}`);
    expect(b.status().failures).toBe(10);
  });

  it('refuses a configured PIN under 6 digits or with letters, and generates 8 digits', () => {
    expect(adminPinProblem('12345')).toMatch(/at least 6 digits/);
    expect(adminPinProblem('12ab56')).toMatch(/digits only/);
    expect(adminPinProblem('424242')).toBeNull();
    expect(newAdminPin()).toMatch(/^\d{8}$/);
  });
});
