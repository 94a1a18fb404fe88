// Loaded with NODE_OPTIONS=--import=<this file> by the memory scenario only: on SIGUSR2
// the process runs a full GC and writes process.memoryUsage() (and its event-loop delay since
// the last signal) to
// $BENCH_MEMORY_DIR/<pid>.json, so the bench can read the heap beside /proc's RSS
// without a debug route in the server.
import v8 from 'node:v8';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import vm from 'node:vm';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.env.BENCH_MEMORY_DIR;
if (dir) {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  // The event loop's delay since the previous reading, beside the memory figures.
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  process.on('SIGUSR2', () => {
    const delay = { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 };
    loop.reset();
    gc();
    writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify({ at: Date.now(), ...process.memoryUsage(), loopDelayMs: delay }));
  });
}
