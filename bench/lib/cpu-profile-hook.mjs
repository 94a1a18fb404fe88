// Loaded with NODE_OPTIONS=--import=<this file> when BENCH_CPU_PROF is set (Node refuses
// --cpu-prof in NODE_OPTIONS): profiles the whole process with the inspector and writes
// <dir>/<name>-<pid>.cpuprofile on exit, for the server and the agent alike.
// SIGWINCH cuts the profile: what was recorded so far is written as
// <name>-<pid>-<k>.cpuprofile and a new one starts, so the bench can send it at a
// window's start and end and get that window alone (the <k> the window close wrote).
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.env.BENCH_CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  const name = `${path.basename(process.argv[1] ?? 'node')}-${process.pid}`;
  const start = () => {
    session.post('Profiler.enable');
    session.post('Profiler.setSamplingInterval', { interval: 500 });
    session.post('Profiler.start');
  };
  let part = 0;
  start();
  process.on('SIGWINCH', () => {
    const k = ++part;
    session.post('Profiler.stop', (err, result) => {
      if (!err) writeFileSync(path.join(dir, `${name}-${k}.cpuprofile`), JSON.stringify(result.profile));
      start();
    });
  });
  process.on('exit', () => {
    session.post('Profiler.stop', (err, result) => {
      if (!err) writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
