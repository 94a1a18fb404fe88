/**
 * A separate process that uploads large WAV files to a running Roomtone with the real tus
 * client, so the measuring process does none of the work. Prints `uploader ready`, then one
 * JSON line per finished upload: { bytes, ms }.
 *
 *   node --import tsx bench/lib/upload-load.ts <base url> <ca file> <cookie> <wav file> [count|loop]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { tusUpload } from '../../testkit/uploads.ts';
import { wavBytes } from '../../testkit/audio.ts';

/** What the uploader prints, one JSON object a line: a finished upload, or the bytes of the running one. */
export const UploaderLineSchema = z.object({ bytes: z.number().optional(), ms: z.number().optional(), progress: z.number().optional() });

/** A large WAV written fast: one second of tone, repeated (the bench needs bytes, not music). */
export function writeBenchWav(file: string, mib: number): void {
  const second = wavBytes(1, { seed: 7 });
  const pcm = second.subarray(44);
  const dataBytes = Math.floor((mib * 1024 * 1024 - 44) / 4) * 4;
  const out = Buffer.alloc(44 + dataBytes);
  second.copy(out, 0, 0, 44);
  out.writeUInt32LE(36 + dataBytes, 4);
  out.writeUInt32LE(dataBytes, 40);
  for (let at = 44; at < out.length; at += pcm.length) pcm.copy(out, at, 0, Math.min(pcm.length, out.length - at));
  writeFileSync(file, out);
}

async function main(): Promise<void> {
  const [base, caFile, cookie, file, count = '1'] = process.argv.slice(2);
  if (!base || !caFile || !cookie || !file) throw new Error('usage: upload-load.ts <base> <ca file> <cookie> <wav file> [count|loop]');
  const peer = { base, ca: readFileSync(caFile, 'utf8') };
  const data = readFileSync(file);
  console.log('uploader ready');
  const loop = count === 'loop';
  for (let i = 0; loop || i < Number(count); i++) {
    const t0 = performance.now();
    const run = tusUpload(peer, cookie, data, { filename: `bench ${i}.wav`, chunkSize: 8 * 1024 * 1024 });
    // Bytes on their way, once a second, so a window that ends mid-upload still counts them.
    const ticker = setInterval(() => console.log(JSON.stringify({ progress: run.progress.sent })), 1000);
    const answer = await run.start().done.finally(() => clearInterval(ticker));
    console.log(JSON.stringify({ bytes: data.length, ms: Math.round(performance.now() - t0), duplicate: answer.duplicate }));
  }
}

if (process.argv[1]?.endsWith('upload-load.ts')) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
