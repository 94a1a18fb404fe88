// Loaded with NODE_OPTIONS=--import=<this file> by the memory scenario only: on SIGUSR2
// the process runs a full GC and writes process.memoryUsage() to
// $BENCH_MEMORY_DIR/<pid>.json, so the bench can read the heap beside /proc's RSS
// without a debug route in the server.
import v8 from 'node:v8';
import vm from 'node:vm';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.env.BENCH_MEMORY_DIR;
if (dir) {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  process.on('SIGUSR2', () => {
    gc();
    writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify({ at: Date.now(), ...process.memoryUsage() }));
  });
}
