import net from 'node:net';
import { z } from 'zod';
import { LiveInfoSchema } from '../../protocol/index.ts';

/**
 * Looser than ScriptHelloSchema on purpose: an older or newer Remote Script still
 * counts as Live answering (doctor then says the versions differ).
 */
const AnyScriptHello = z.object({ type: z.literal('hello'), live: LiveInfoSchema.partial().optional(), nonce: z.string().max(64).optional() });
/** What a Remote Script that already serves another agent says to a second one. */
const AgentConflict = z.object({ type: z.literal('error'), error: z.object({ code: z.literal('AGENT_CONFLICT') }).loose() }).loose();

/** A first line longer than this is not the Remote Script's greeting. */
const MAX_GREETING_BYTES = 64 * 1024;

export interface ScriptHello {
  live?: { version?: string | undefined; simulated?: boolean | undefined } | undefined;
  /** The script wants the agent's proof of this nonce (H9). */
  nonce?: string | undefined;
}

/** The first JSON line whatever listens on the port says, or null (nothing, silence, not JSON). */
function firstLine(host: string, port: number, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let buffer = '';
    const done = (line: unknown): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(line);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      const nl = buffer.indexOf('\n');
      if (nl < 0) {
        if (buffer.length > MAX_GREETING_BYTES) done(null);
        return;
      }
      try {
        done(JSON.parse(buffer.slice(0, nl)));
      } catch {
        done(null);
      }
    });
    socket.on('error', () => done(null));
    socket.on('close', () => done(null));
  });
}

/** The hello of whatever greets us on the port as the Roomtone Remote Script does, or null. */
export async function greetRemoteScript(host: string, port: number, timeoutMs: number): Promise<ScriptHello | null> {
  const hello = AnyScriptHello.safeParse(await firstLine(host, port, timeoutMs));
  return hello.success ? { live: hello.data.live, nonce: hello.data.nonce } : null;
}

/**
 * What answers on the Remote Script's port: `script` (a Roomtone Remote Script said
 * hello), `busy` (one is there but serves another agent: AGENT_CONFLICT), or `absent`
 * (nothing, or something that is not Roomtone).
 */
export type ProbeResult = 'script' | 'busy' | 'absent';

export async function probeScriptPort(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  const line = await firstLine(host, port, timeoutMs);
  if (AnyScriptHello.safeParse(line).success) return 'script';
  return AgentConflict.safeParse(line).success ? 'busy' : 'absent';
}

