import net from 'node:net';
import { z } from 'zod';
import { LiveInfoSchema } from '../../protocol/script-lines.ts';

/**
 * Looser than ScriptHelloSchema on purpose: an older or newer Remote Script still
 * counts as Live answering (doctor then says the versions differ).
 */
const AnyScriptHello = z.object({ type: z.literal('hello'), live: LiveInfoSchema.partial().optional(), nonce: z.string().max(64).optional() });

export interface ScriptHello {
  live?: { version?: string | undefined; simulated?: boolean | undefined } | undefined;
  /** The script wants the agent's proof of this nonce (H9). */
  nonce?: string | undefined;
}

/** The hello of whatever greets us on the port as the Roomtone Remote Script does, or null. */
export function greetRemoteScript(host: string, port: number, timeoutMs: number): Promise<ScriptHello | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let buffer = '';
    const done = (hello: ScriptHello | null): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(hello);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      let line: unknown;
      try {
        line = JSON.parse(buffer.slice(0, nl));
      } catch {
        return done(null);
      }
      const hello = AnyScriptHello.safeParse(line);
      done(hello.success ? { live: hello.data.live, nonce: hello.data.nonce } : null);
    });
    socket.on('error', () => done(null));
  });
}

/** True when something on the port greets us as the Roomtone Remote Script does. */
export async function probeRemoteScript(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return (await greetRemoteScript(host, port, timeoutMs)) !== null;
}
