import net from 'node:net';
import { ScriptLineSchema } from '../protocol/index.ts';

/** True when something on the port greets us like the Roomtone Remote Script does. */
export function probeRemoteScript(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let buffer = '';
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      let line: unknown = null;
      try {
        line = JSON.parse(buffer.slice(0, nl));
      } catch {
        /* not JSON: not the Remote Script */
      }
      const parsed = ScriptLineSchema.safeParse(line);
      done(parsed.success && parsed.data.type === 'hello');
    });
    socket.on('error', () => done(false));
  });
}
