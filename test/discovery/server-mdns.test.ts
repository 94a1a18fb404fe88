import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browseServers } from '../../server/discovery/browse.ts';
import { discoverServer } from '../../host-agent/discovery.ts';
import { ROOMTONE_VERSION } from '../../protocol/index.ts';
import { loopbackMdnsPair } from '../helpers/free-udp-port.ts';
import { startRoomServer, type RoomServer } from '../helpers/room-server.ts';

describe('the room server on mDNS (loopback unicast only)', () => {
  let rs: RoomServer;
  let transport: Awaited<ReturnType<typeof loopbackMdnsPair>>['browser'];
  beforeAll(async () => {
    const pair = await loopbackMdnsPair();
    transport = pair.browser;
    rs = await startRoomServer({ config: { mdns: true, mdnsTransport: pair.advertiser } });
  });
  afterAll(async () => { await rs?.stop(); });

  it('advertises _roomtone._tcp with its HTTPS port and certificate fingerprint', async () => {
    const [found] = await browseServers({ transport, first: true, timeoutMs: 10_000 });
    expect(found).toMatchObject({ port: rs.httpsPort, fingerprint256: rs.fingerprint256, version: ROOMTONE_VERSION, url: `https://127.0.0.1:${rs.httpsPort}` });
  }, 15_000);

  it('advertises again when the machine\'s addresses change (a service started before the network)', async () => {
    await rs.server.networkChanged();
    const [found] = await browseServers({ transport, first: true, timeoutMs: 10_000 });
    expect(found).toMatchObject({ port: rs.httpsPort, fingerprint256: rs.fingerprint256 });
  }, 15_000);

  it('is what the host agent finds when given no URL', async () => {
    const found = await discoverServer({ transport, timeoutMs: 10_000 });
    expect(found).toMatchObject({ url: `https://127.0.0.1:${rs.httpsPort}`, fingerprint256: rs.fingerprint256 });
  }, 15_000);
});
