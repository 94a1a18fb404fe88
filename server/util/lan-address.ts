import dgram from 'node:dgram';
import os from 'node:os';

/** One IPv4 address of this machine that a device in the room might reach. */
export interface LanCandidate {
  interface: string;
  address: string;
  /** lan: a real network; vpn and virtual (Docker, VMs, WSL) are rarely what a tablet is on. */
  kind: 'lan' | 'vpn' | 'virtual' | 'link-local';
  /** The address the OS would send from to reach the internet: the room's network, on most machines. */
  defaultRoute: boolean;
}

const VIRTUAL = /^(docker|br-|veth|virbr|vmnet|vboxnet|vnic|lxc|lxd|cni|flannel|podman|bridge\d|awdl|llw|anpi|ap\d)|virtualbox|vmware|vethernet|hyper-v|wsl|docker/i;
const VPN = /^(utun|tun|tap|wg|ppp|ipsec|gif|stf|zt)|tailscale|zerotier|wireguard|openvpn|nordlynx|vpn/i;
const RANK: Record<LanCandidate['kind'], number> = { lan: 0, vpn: 1, virtual: 2, 'link-local': 3 };

type Interfaces = ReturnType<typeof os.networkInterfaces>;

/**
 * Every non-internal IPv4 address, best first: the one on the default route, then real
 * networks before VPNs, virtual adapters and link-local ones. The first non-internal
 * address (what Roomtone used before) is a Docker or VPN adapter on many machines.
 */
export function lanCandidates(interfaces: Interfaces, routeAddress: string | null): LanCandidate[] {
  const found: LanCandidate[] = [];
  for (const [name, list] of Object.entries(interfaces)) {
    for (const info of list ?? []) {
      if (info.family !== 'IPv4' || info.internal) continue;
      found.push({ interface: name, address: info.address, kind: kindOf(name, info.address), defaultRoute: info.address === routeAddress });
    }
  }
  return found.sort((a, b) => Number(b.defaultRoute) - Number(a.defaultRoute) || RANK[a.kind] - RANK[b.kind] || privateFirst(a.address) - privateFirst(b.address));
}

function kindOf(name: string, address: string): LanCandidate['kind'] {
  if (address.startsWith('169.254.')) return 'link-local';
  if (VPN.test(name) || isCgnat(address)) return 'vpn';
  if (VIRTUAL.test(name)) return 'virtual';
  return 'lan';
}

/** 100.64.0.0/10: carrier-grade NAT, and the range Tailscale hands out. */
function isCgnat(address: string): boolean {
  const [a, b] = address.split('.').map(Number);
  return a === 100 && b! >= 64 && b! < 128;
}

function privateFirst(address: string): number {
  const [a, b] = address.split('.').map(Number);
  return a === 192 && b === 168 ? 0 : a === 10 ? 1 : a === 172 && b! >= 16 && b! < 32 ? 2 : 3;
}

/**
 * The local address the OS picks for the default route, found by connecting a UDP
 * socket (which sends nothing) to a documentation address (TEST-NET-1). Null when
 * there is no default route, as on a studio machine with only a local switch.
 */
export function defaultRouteAddress(): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const done = (address: string | null): void => {
      socket.close();
      resolve(address);
    };
    socket.once('error', () => done(null));
    try {
      socket.connect(9, '192.0.2.1', () => {
        try {
          const { address } = socket.address();
          done(address === '0.0.0.0' ? null : address);
        } catch {
          done(null);
        }
      });
    } catch {
      done(null);
    }
  });
}

/**
 * This machine's LAN addresses as of the last refresh. The launcher refreshes it at
 * start and every few seconds (a service starts before the network is up; a laptop
 * changes Wi-Fi), and the server reads `current()` for join links and QR codes.
 */
export class LanAddresses {
  private routeAddress: string | null = null;

  constructor(
    private readonly interfaces: () => Interfaces = () => os.networkInterfaces(),
    private readonly probe: () => Promise<string | null> = defaultRouteAddress,
  ) {}

  async refresh(): Promise<LanCandidate[]> {
    this.routeAddress = await this.probe();
    return this.candidates();
  }

  candidates(): LanCandidate[] {
    return lanCandidates(this.interfaces(), this.routeAddress);
  }

  current(): string | null {
    return this.candidates()[0]?.address ?? null;
  }
}

export const lan = new LanAddresses();

/** The address a tablet in the room can most likely reach, or null with no network at all. */
export function lanAddress(): string | null {
  return lan.current();
}
