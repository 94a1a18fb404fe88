/**
 * A separate process that uploads large WAV files to a running Roomtone with the real tus
 * client, so the measuring process does none of the work. Prints `uploader ready`, then one
 * JSON line per finished upload: { bytes, ms }.
 *
 *   node --import tsx bench/lib/upload-load.ts <base url> <ca file> <cookie> <MiB> [count|loop]
 */
import { readFileSync } from 'node:fs';
import { tusUpload } from '../../test/helpers/uploads.ts';
import { wavBytes } from '../../test/helpers/audio.ts';

async function main(): Promise<void> {
  const [base, caFile, cookie, mib, count = '1'] = process.argv.slice(2);
  if (!base || !caFile || !cookie || !mib) throw new Error('usage: upload-load.ts <base> <ca file> <cookie> <MiB> [count|loop]');
  const peer = { base, ca: readFileSync(caFile, 'utf8') };
  // 16-bit stereo at 44.1 kHz: 176,400 bytes a second of audio.
  const data = wavBytes((Number(mib) * 1024 * 1024) / 176_400, { seed: Math.floor(Math.random() * 1000) });
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

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
