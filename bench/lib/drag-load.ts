/**
 * A load process for the heavy-set scenario: browsers dragging faders, each with its
 * track's device panels open, outside the process that runs the room server, so their
 * sockets do not share its event loop (in a room they are other devices).
 *
 * stdin, one JSON line: { base, caFile, cookies, faders, devices, seconds }, one cookie,
 * fader (track id) and device list per browser. Connects, shows the devices (observe),
 * prints `drag-load ready <n>`, then waits for a second line (`go`), drags every fader
 * for `seconds` (gestures of 20-40 moves at 30 moves a second) and prints one line
 * `drag-load result <json>`: moves sent, answers by code, the first refusal of each
 * code, and the answer latency.
 */
import { readFileSync } from 'node:fs';
import readline from 'node:readline';
import type { Socket } from 'socket.io-client';
import { connectRoom, connected } from '../../testkit/clients.ts';
import { ROOM_EVENTS } from '../../protocol/index.ts';

interface Setup { base: string; caFile: string; cookies: string[]; faders: string[]; devices: string[][]; seconds: number }

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const rl = readline.createInterface({ input: process.stdin });
const lines = rl[Symbol.asyncIterator]();

async function main(): Promise<void> {
  const setup = JSON.parse(String((await lines.next()).value)) as Setup;
  const peer = { base: setup.base, ca: readFileSync(setup.caFile, 'utf8') };
  const sockets: Socket[] = setup.cookies.map((cookie) => connectRoom(peer, cookie));
  await Promise.all(sockets.map((s) => connected(s)));
  sockets.forEach((s, i) => s.emit(ROOM_EVENTS.observe, { devices: setup.devices[i] ?? [] }));
  console.log(`drag-load ready ${sockets.length}`);
  await lines.next();   // go
  const answers: Record<string, number> = {};
  const firstErrors: Record<string, string> = {};
  const latencies: number[] = [];
  let movesSent = 0;
  let pending = 0;
  const w0 = performance.now();
  const windowMs = setup.seconds * 1000;
  const drag = async (socket: Socket, fader: string, index: number): Promise<void> => {
    let g = 0;
    while (performance.now() - w0 < windowMs) {
      const gesture = `drag-${index}-${g++}`;
      const moves = 20 + ((index * 7 + g * 13) % 21);
      for (let m = 0; m <= moves; m++) {
        const phase = m === 0 ? 'start' : m === moves ? 'end' : 'move';
        const value = 0.3 + 0.5 * Math.abs(Math.sin((m + index) / 7));
        movesSent++;
        pending++;
        const c0 = performance.now();
        socket.timeout(10_000).emit('command', { id: `${gesture}-m${m}`, action: 'track.set_volume', target: fader, args: { value }, gesture: { id: gesture, phase } },
          (err: Error | null, answer: { ok: boolean; error?: { code: string } }) => {
            pending--;
            const key = err ? 'NO_ANSWER' : answer.ok ? 'ok' : answer.error!.code;
            answers[key] = (answers[key] ?? 0) + 1;
            if (!err) latencies.push(performance.now() - c0);
            if (!err && !answer.ok && !(key in firstErrors)) firstErrors[key] = JSON.stringify(answer.error).slice(0, 200);
          });
        await pause(33);
        if (performance.now() - w0 >= windowMs && phase !== 'start') break;
      }
    }
  };
  await Promise.all(sockets.map((s, i) => drag(s, setup.faders[i]!, i)));
  const seconds = (performance.now() - w0) / 1000;
  const until = performance.now() + 11_000;
  while (pending > 0 && performance.now() < until) await pause(20);
  latencies.sort((a, b) => a - b);
  const q = (p: number): number | null => (latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]! * 10) / 10 : null);
  console.log(`drag-load result ${JSON.stringify({ seconds: Math.round(seconds * 10) / 10, movesSent, answers, firstErrors, latency: { p50: q(0.5), p99: q(0.99), max: q(1) } })}`);
  for (const s of sockets) s.close();
  process.exit(0);
}

void main();
