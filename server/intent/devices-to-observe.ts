import { canonical } from './names/similarity.ts';
import { wordsOf, type NameIndex } from './names/name-index.ts';

/** A sentence names a handful of devices at most; more would be a list, not a request. */
const MAX_DEVICES = 8;

/**
 * Devices a sentence names whose parameters Live does not mirror yet. Parameters are
 * mirrored only while someone looks at a device (#12), so "bass compressor threshold to
 * -20 dB" would otherwise find no threshold unless a panel happened to be open. A device
 * counts when every word of one of its aliases is said (each compared by its canonical
 * form); the parser then reads its parameters once they arrive.
 */
export function devicesToObserve(text: string, index: NameIndex): string[] {
  const said = new Set(wordsOf(text).map(canonical));
  const out: string[] = [];
  for (const device of index.devices) {
    if (out.length >= MAX_DEVICES) break;
    if (index.params(device.id).length > 0) continue;
    const named = device.aliases.some((alias) => alias.words.length > 0 && alias.words.every((w) => said.has(canonical(w))));
    if (named) out.push(device.id);
  }
  return out;
}
