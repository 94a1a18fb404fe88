import * as encoding from 'lib0/encoding';
import { ACTION_NAMES } from '../../protocol/index.ts';
import type { Prng } from '../../testkit/prng.ts';

/** Seed for a fuzz run: FUZZ_SEED replays one; otherwise the suite's fixed seed. */
export function fuzzSeed(fallback: number): number {
  const raw = process.env.FUZZ_SEED;
  return raw ? Number(raw) >>> 0 : fallback;
}

const KEYS = ['id', 'action', 'target', 'args', 'baseRev', 'gesture', 'value', 'bpm', 'index', 'name', 'code', 'role', 'pin', 'layout', '__proto__', 'constructor', 'toString', '', 'type', 'commands', 'phase'];

/** Any JSON value, with a bias toward the shapes our schemas look for. */
export function randomJson(prng: Prng, depth = 3): unknown {
  const roll = prng.int(0, depth <= 0 ? 6 : 9);
  switch (roll) {
    case 0: return null;
    case 1: return prng.bool();
    case 2: return prng.pick([0, -1, 1, 0.5, 1e308, -1e308, 2 ** 53, -0, 127, 128, 999, 1000, 65536]);
    case 3: return prng.next() * 2000 - 1000;
    case 4: return prng.string(prng.int(0, 24));
    case 5: return prng.pick(ACTION_NAMES);
    case 6: return 'x'.repeat(prng.pick([63, 64, 65, 129, 4096]));
    case 7: return Array.from({ length: prng.int(0, 5) }, () => randomJson(prng, depth - 1));
    default: {
      const obj: Record<string, unknown> = {};
      for (let i = prng.int(0, 5); i > 0; i--) obj[prng.bool(0.7) ? prng.pick(KEYS) : prng.string(prng.int(1, 8))] = randomJson(prng, depth - 1);
      return obj;
    }
  }
}

/** A command that is nearly valid: one or two fields broken, or none. */
export function nearCommand(prng: Prng, targets: readonly string[]): Record<string, unknown> {
  const command: Record<string, unknown> = {
    id: `fz${prng.int(0, 1e9).toString(36)}${prng.int(0, 1e9).toString(36)}`,
    action: prng.pick(ACTION_NAMES),
    target: prng.bool(0.6) && targets.length ? prng.pick(targets) : prng.string(prng.int(0, 6)),
    args: prng.pick([{}, { value: prng.next() }, { value: prng.bool() }, { bpm: prng.int(-10, 1200) }, { index: prng.int(-3, 20), value: prng.next() }, { name: prng.string(prng.int(0, 200)) }, randomJson(prng, 2)]),
  };
  if (prng.bool(0.2)) command.baseRev = prng.pick(['', 'x.1', prng.string(70), 42]);
  if (prng.bool(0.2)) command.gesture = prng.pick([{ id: 'g', phase: 'move' }, { id: '', phase: 'start' }, { phase: 'sideways' }, 'yes', { id: 'g', phase: 'end', extra: 1 }]);
  for (let i = prng.int(0, 2); i > 0; i--) {
    const key = prng.pick(Object.keys(command));
    if (prng.bool()) delete command[key];
    else command[key] = randomJson(prng, 1);
  }
  if (prng.bool(0.1)) command[prng.pick(KEYS)] = randomJson(prng, 1);
  return command;
}

/** A y-websocket frame: garbage, a truncated message, or a well-framed message with a hostile payload. */
export function yjsFrame(prng: Prng): Uint8Array {
  const kind = prng.int(0, 6);
  switch (kind) {
    case 0: return prng.bytes(prng.int(0, 64));
    case 1: return Uint8Array.from([prng.int(0, 3)]); // type with no body
    case 2: return Uint8Array.from([0, prng.int(0, 5), ...prng.bytes(prng.int(0, 16))]); // sync, any subtype, junk
    case 3: return Uint8Array.from([0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f]); // update claiming a 4 GiB length
    case 4: return Uint8Array.from([1, ...prng.bytes(prng.int(0, 32))]); // awareness junk
    case 5: return Uint8Array.from([prng.int(4, 255), ...prng.bytes(prng.int(0, 8))]); // unknown message type
    default: return Uint8Array.from([0, 0, 5, ...prng.bytes(5)]); // step 1 with a junk state vector
  }
}

/** A line for the Remote Script's TCP port: junk bytes, JSON of the wrong shape, or commands with broken fields. */
export function scriptLine(prng: Prng, targets: readonly string[]): { text: Uint8Array; expect: 'error' | 'results' | 'any' } {
  const enc = (s: string): Uint8Array => Buffer.from(s + '\n', 'utf8');
  const roll = prng.int(0, 7);
  switch (roll) {
    case 0: return { text: Buffer.concat([Buffer.from(prng.bytes(prng.int(1, 40)).map((b) => (b === 10 ? 32 : b))), Buffer.from('\n')]), expect: 'any' };
    case 1: return { text: enc(prng.string(prng.int(1, 30)).replace(/\n|\r/g, ' ') + '{'), expect: 'error' };
    case 2: return { text: enc(JSON.stringify(prng.pick([[], 1, 'str', null, true]))), expect: 'error' };
    case 3: return { text: enc(JSON.stringify({ type: prng.pick(['nope', '', 'Commands', 'results', 'events']), x: randomJson(prng, 1) })), expect: 'error' };
    case 4: return { text: enc(JSON.stringify({ type: 'commands', commands: prng.pick([{}, 'x', null, 3]) })), expect: 'error' };
    case 5: return { text: enc(JSON.stringify({ type: 'ping', t: prng.pick(['x', null, {}, true]) })), expect: 'error' };
    default: {
      const commands = Array.from({ length: prng.int(1, 4) }, () => {
        const c: Record<string, unknown> = {
          ...nearCommand(prng, targets),
          deadline: prng.pick([Date.now() + 60_000, Date.now() - 1, 'soon', null, 1e300]),
        };
        return prng.bool(0.1) ? randomJson(prng, 1) : c;
      });
      return { text: enc(JSON.stringify({ type: 'commands', commands })), expect: 'results' };
    }
  }
}

/**
 * A y-websocket awareness frame: well framed, with hostile entries (other clients' ids,
 * removals, states that are not objects, huge or deep JSON, forged names and roles), or
 * a count and strings that run past the end.
 */
export function awarenessFrame(prng: Prng, knownIds: readonly number[]): Uint8Array {
  const update = encoding.createEncoder();
  const truncated = prng.bool(0.15);
  const count = truncated ? prng.int(1, 1_000_000) : prng.int(0, 6);
  encoding.writeVarUint(update, count);
  for (let i = 0; i < (truncated ? prng.int(0, 2) : count); i++) {
    encoding.writeVarUint(update, prng.bool(0.4) && knownIds.length ? prng.pick(knownIds) : prng.int(0, 2 ** 32));
    encoding.writeVarUint(update, prng.int(0, 2 ** 31));
    const state = prng.pick([
      () => 'null',
      () => JSON.stringify({ user: { name: prng.pick(['Teacher', 'Ben', prng.string(prng.int(0, 300))]), role: prng.pick(['host', 'member', 3]), color: prng.string(8) }, cursor: randomJson(prng, 2) }),
      () => JSON.stringify(randomJson(prng, 3)),
      () => JSON.stringify({ cursor: { anchor: { type: null, tname: 'text', item: null, assoc: 0 }, head: { item: { client: prng.int(0, 99), clock: prng.int(0, 99) } } } }),
      () => prng.string(prng.int(0, 40)),
      () => JSON.stringify({ pad: 'x'.repeat(prng.int(2_000, 60_000)) }),
    ])();
    encoding.writeVarString(update, state);
  }
  const frame = encoding.createEncoder();
  encoding.writeVarUint(frame, 1);
  encoding.writeVarUint8Array(frame, encoding.toUint8Array(update));
  return encoding.toUint8Array(frame);
}
