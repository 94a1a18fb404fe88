import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { stopProcess } from '../../testkit/stack.ts';
import { ROOT } from '../../testkit/root.ts';

export interface ReadyProcess { child: ChildProcess; match: RegExpExecArray; output: string[]; stop(): Promise<void> }

/** Spawns a process and resolves when a stdout line matches `ready`. */
export function spawnReady(command: string, args: string[], ready: RegExp, options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; stdin?: string } = {}): Promise<ReadyProcess> {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...options.env }, stdio: [options.stdin !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  if (options.stdin !== undefined) child.stdin!.write(options.stdin);
  const output: string[] = [];
  readline.createInterface({ input: child.stderr! }).on('line', (l) => output.push(l));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${args.join(' ')}: not ready:\n${output.join('\n')}`)); }, options.timeoutMs ?? 30_000);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${args.join(' ')} exited ${code}:\n${output.join('\n')}`)); });
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      const m = ready.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve({ child, match: m, output, stop: () => stopProcess(child) });
      }
    });
  });
}

/** A TypeScript entry point run like the real agent: node --import tsx <file>. */
export function spawnTs(file: string, args: string[], ready: RegExp, options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; stdin?: string } = {}): Promise<ReadyProcess> {
  return spawnReady(process.execPath, ['--import', 'tsx', file, ...args], ready, options);
}
