// Loaded with NODE_OPTIONS=--import=<this file> when BENCH_CPU_PROF is set (Node refuses
// --cpu-prof in NODE_OPTIONS): profiles the whole process with the inspector and writes
// <dir>/<name>-<pid>.cpuprofile on exit, for the server and the agent alike.
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.env.BENCH_CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');

  process.on('exit', () => {
    session.post('Profiler.stop', (err, result) => {
      if (!err) writeFileSync(path.join(dir, `${path.basename(process.argv[1] ?? 'node')}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });

}
