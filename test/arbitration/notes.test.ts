import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness, eventually as until } from './harness.ts';
import { openDoc, synced, type DocClient } from '../../testkit/clients.ts';

describe('the notes doc: collaborative, persisted, unloaded when idle', { timeout: 180_000 }, () => {
  let h: Harness;
  const docs: DocClient[] = [];
  const open = async (cookie: string): Promise<DocClient> => {
    const client = openDoc(h.peer, cookie, 'notes');
    docs.push(client);
    await synced(client);
    return client;
  };
  beforeAll(async () => { h = await Harness.start(); });
  afterAll(async () => {
    for (const d of docs) d.destroy();
    await h?.stop();
  });

  it('N1 members and hosts edit the notes; an observer’s edit never reaches anyone', async () => {
    const member = await h.member('Ada');
    const host = await h.member('Teacher', 'host');
    const observer = await h.member('Parent', 'observer');
    const [m, t, o] = await Promise.all([open(member.cookie), open(host.cookie), open(observer.cookie)]);
    m.doc.getText('text').insert(0, 'Lyrics v1. ');
    await until(() => t.doc.getText('text').toString().includes('Lyrics v1.'), 'the member’s text at the host');
    t.doc.getText('text').insert(0, 'Set list. ');
    await until(() => m.doc.getText('text').toString().includes('Set list.'), 'the host’s text at the member');
    await until(() => o.doc.getText('text').toString().includes('Set list.'), 'observers read along');

    o.doc.getText('text').insert(0, 'OBSERVER WAS HERE ');
    await until(() => h.server.parts.audit.query({ kind: 'yjs_violation', limit: 20 }).some((e) => e.detail?.startsWith('notes')), 'the observer’s write flagged');
    m.doc.getText('text').insert(m.doc.getText('text').length, 'END');
    await until(() => t.doc.getText('text').toString().includes('END'), 'a later member edit at the host');
    expect(t.doc.getText('text').toString()).not.toContain('OBSERVER');
    expect(h.server.parts.room.notes.doc.getText('text').toString()).not.toContain('OBSERVER');
    for (const d of [m, t, o]) d.destroy();
  });

  it('N2 an idle notes doc is saved and dropped from memory, and reloaded on the next connect', async () => {
    const hub = h.server.parts.room.notes;
    hub.idleMs = 100;
    const member = await h.member('Bo');
    const first = await open(member.cookie);
    first.doc.getText('text').insert(0, 'Bridge twice. ');
    await until(() => hub.doc.getText('text').toString().includes('Bridge twice.'), 'the edit at the server');
    const unloads = hub.unloads;
    const loads = hub.loads;
    first.destroy();
    await until(() => !hub.loaded && hub.unloads > unloads, 'the doc to be dropped from memory');
    const again = await open(member.cookie);
    await until(() => again.doc.getText('text').toString().includes('Bridge twice.'), 'the saved text after the reload');
    expect(hub.loads).toBe(loads + 1);
    again.destroy();
  });

  it('N3 the notes survive a server restart', async () => {
    const member = await h.member('Cy');
    const before = await open(member.cookie);
    before.doc.getText('text').insert(0, 'Keep this line. ');
    await until(() => h.server.parts.room.notes.loaded && h.server.parts.room.notes.doc.getText('text').toString().includes('Keep this line.'), 'the edit at the server');
    before.destroy();
    await h.restartServer();
    const after = await open((await h.member('Cy again')).cookie);
    await until(() => after.doc.getText('text').toString().includes('Keep this line.'), 'the notes after the restart');
    expect(after.doc.getText('text').toString()).toContain('Bridge twice.');
  });
});
