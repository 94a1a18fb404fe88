import WebSocket from 'ws';
import type { Peer } from '../../testkit/clients.ts';

export type UpgradeOutcome = { opened: true; socket: WebSocket } | { opened: false; status: number; body: string };

/** Tries a y-websocket upgrade and reports whether it opened or the HTTP status it got. */
export function tryUpgrade(peer: Peer, path: string, headers: Record<string, string>): Promise<UpgradeOutcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${peer.base.replace(/^https/, 'wss')}${path}`, {
      headers, ca: peer.ca, ...(peer.localAddress ? { localAddress: peer.localAddress } : {}),
    });
    ws.once('open', () => resolve({ opened: true, socket: ws }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolve({ opened: false, status: res.statusCode ?? 0, body }));
    });
    ws.once('error', (err) => reject(err));
  });
}
