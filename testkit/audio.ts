import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './root.ts';

/** ffmpeg's output for 0.5 s of a 440 Hz tone at 22050 Hz (test/fixtures/audio). */
export function fixture(name: 'tone.wav' | 'tone.aiff' | 'tone.flac' | 'tone.mp3' | 'tone.ogg' | 'tone.opus' | 'tone.m4a'): Buffer {
  return readFileSync(path.join(ROOT, 'test', 'fixtures', 'audio', name));
}

/** A 16-bit PCM WAV of `seconds` (a quiet tone, so content differs with `seed`). */
export function wavBytes(seconds: number, options: { rate?: number; channels?: number; seed?: number } = {}): Buffer {
  const rate = options.rate ?? 44_100;
  const channels = options.channels ?? 2;
  const frames = Math.round(seconds * rate);
  const data = frames * channels * 2;
  const out = Buffer.alloc(44 + data);
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(36 + data, 4);
  out.write('WAVEfmt ', 8, 'latin1');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(channels, 22);
  out.writeUInt32LE(rate, 24);
  out.writeUInt32LE(rate * channels * 2, 28);
  out.writeUInt16LE(channels * 2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'latin1');
  out.writeUInt32LE(data, 40);
  const step = (2 * Math.PI * (220 + (options.seed ?? 0))) / rate;
  for (let i = 0; i < frames; i++) {
    const v = Math.round(3000 * Math.sin(i * step));
    for (let c = 0; c < channels; c++) out.writeInt16LE(v, 44 + (i * channels + c) * 2);
  }
  return out;
}

/** An ELF executable's first bytes, renamed to look like a recording. */
export function executableBytes(size = 64 * 1024): Buffer {
  const out = Buffer.alloc(size, 0x90);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(out, 0);
  return out;
}
