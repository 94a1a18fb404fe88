import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../protocol/index.ts';
import { joinAs, roomRefusal, startRoomServer, type RoomServer } from '../helpers/room-server.ts';

/**
 * The page states its protocol version in the /room handshake (`auth.protocol`); a
 * page kept by the PWA cache across an update must be refused before it can send a
 * half-understood command, and told which side is older (docs/protocol.md, V1).
 */
describe('protocol version at connect (V1)', () => {
  let rs: RoomServer;
  let cookie: string;
  beforeAll(async () => {
    rs = await startRoomServer();
    ({ cookie } = await joinAs(rs, 'Ada'));
  });
  afterAll(async () => rs?.stop());

  it('V1: admits a page that states this version', async () => {
    expect(await roomRefusal(rs.peer, cookie)).toBeNull();
  });

  it('V1: refuses an older page with PROTOCOL_MISMATCH, older: client', async () => {
    expect(await roomRefusal(rs.peer, cookie, { protocol: PROTOCOL_VERSION - 1 })).toMatchObject({ code: 'PROTOCOL_MISMATCH', older: 'client' });
  });

  it('V1: refuses a page that states no version (one from before the check) as the older side', async () => {
    expect(await roomRefusal(rs.peer, cookie, { protocol: null })).toMatchObject({ code: 'PROTOCOL_MISMATCH', older: 'client' });
  });

  it('V1: refuses a newer page with PROTOCOL_MISMATCH, older: server', async () => {
    const refusal = await roomRefusal(rs.peer, cookie, { protocol: PROTOCOL_VERSION + 1 });
    expect(refusal).toMatchObject({ code: 'PROTOCOL_MISMATCH', older: 'server' });
    expect(refusal?.message).toContain(`server speaks protocol ${PROTOCOL_VERSION}`);
  });

  it('V1: checks the version before the session, so a stale page is told to reload whatever its cookie', async () => {
    expect(await roomRefusal(rs.peer, 'roomtone_session=nonsense', { protocol: 0 })).toMatchObject({ code: 'PROTOCOL_MISMATCH' });
    expect(await roomRefusal(rs.peer, 'roomtone_session=nonsense')).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
