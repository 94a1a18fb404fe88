import type os from 'node:os';
import { describe, expect, it } from 'vitest';
import { LanAddresses, defaultRouteAddress, lanCandidates } from './lan-address.ts';

type Interfaces = ReturnType<typeof os.networkInterfaces>;
const v4 = (address: string, internal = false): os.NetworkInterfaceInfo => ({ address, family: 'IPv4', internal, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: `${address}/24` });

const MACHINE: Interfaces = {
  lo: [v4('127.0.0.1', true)],
  docker0: [v4('172.17.0.1')],
  tailscale0: [v4('100.101.1.2')],
  'vEthernet (WSL)': [v4('172.29.16.1')],
  en7: [v4('169.254.10.2')],
  wlan0: [v4('192.168.1.20'), { address: 'fe80::1', family: 'IPv6', scopeid: 2, internal: false, netmask: 'ffff:ffff:ffff:ffff::', mac: '00:00:00:00:00:00', cidr: 'fe80::1/64' }],
  eth1: [v4('10.0.5.7')],
};

describe('LAN address', () => {
  it('puts the default route first, then real networks, VPNs, virtual adapters and link-local ones', () => {
    const ranked = lanCandidates(MACHINE, '10.0.5.7');
    expect(ranked.map((c) => [c.address, c.kind, c.defaultRoute])).toEqual([
      ['10.0.5.7', 'lan', true],
      ['192.168.1.20', 'lan', false],
      ['100.101.1.2', 'vpn', false],
      ['172.17.0.1', 'virtual', false],
      ['172.29.16.1', 'virtual', false],
      ['169.254.10.2', 'link-local', false],
    ]);
  });

  it('without a default route, prefers a real private network over Docker listed first', () => {
    expect(lanCandidates(MACHINE, null)[0]).toMatchObject({ address: '192.168.1.20', interface: 'wlan0' });
    expect(lanCandidates({ lo: [v4('127.0.0.1', true)] }, null)).toEqual([]);
  });

  it('follows the network as it changes, refreshed by its owner', async () => {
    let interfaces: Interfaces = { lo: [v4('127.0.0.1', true)] };
    let route: string | null = null;
    const lan = new LanAddresses(() => interfaces, () => Promise.resolve(route));
    expect(await lan.refresh()).toEqual([]);
    expect(lan.current()).toBeNull();
    interfaces = MACHINE;
    route = '192.168.1.20';
    await lan.refresh();
    expect(lan.current()).toBe('192.168.1.20');
  });

  it('asks the OS for the default route without sending anything, and answers an address or null', async () => {
    const address = await defaultRouteAddress();
    expect(address === null || /^\d+\.\d+\.\d+\.\d+$/.test(address)).toBe(true);
  });
});
