import QRCode from 'qrcode';
import type { LanCandidate } from '../../server/util/lan-address.ts';

export interface BannerInfo {
  localUrl: string;
  lanUrl: string | null;
  /** What the QR code opens: the join page with the code filled in. */
  joinUrl: string;
  caUrl: string | null;
  joinCode: string;
  adminPin: string;
  live: string;
  candidates: LanCandidate[];
}

/**
 * What `roomtone start` prints once the room is up. The first line always begins
 * `Roomtone ready:` and holds the HTTPS URL (scripts and tests wait for it). The join
 * code, the admin PIN and the QR code appear only when `interactive` (stdout is a
 * terminal): a pipe, a service's journal or a log file never gets them.
 */
export async function banner(info: BannerInfo, interactive: boolean): Promise<string> {
  const lines = [
    interactive
      ? `Roomtone ready: ${info.localUrl} · join code ${info.joinCode} · admin PIN ${info.adminPin} · Live: ${info.live}`
      : `Roomtone ready: ${info.localUrl} · Live: ${info.live}`,
  ];
  if (info.lanUrl) lines.push(`On the LAN: ${info.lanUrl}${info.caUrl ? `  (tablets install the CA from ${info.caUrl})` : ''}`);
  const others = info.candidates.filter((c) => !info.lanUrl?.includes(`//${c.address}:`));
  if (others.length > 0) lines.push(`Other addresses of this machine: ${others.map(describeCandidate).join(', ')} (--public-url points the QR code elsewhere)`);
  if (interactive) {
    lines.push(`Scan to join (${info.joinUrl}):`);
    lines.push(await QRCode.toString(info.joinUrl, { type: 'terminal', small: true }));
  } else {
    lines.push('The join code, admin PIN and QR code are shown on an interactive terminal only: run `roomtone service status` as this user.');
  }
  return `${lines.join('\n')}\n`;
}

export function describeCandidate(c: LanCandidate): string {
  return `${c.address} (${c.interface}${c.kind === 'lan' ? '' : `, ${c.kind}`}${c.defaultRoute ? ', default route' : ''})`;
}
