import net from 'node:net';

/**
 * What answers on the Remote Script's port: `script` (a Roomtone Remote Script said
 * hello), `busy` (one is there but serves another agent: AGENT_CONFLICT), or `absent`
 * (nothing, or something that is not Roomtone).
 */
export type ProbeResult = 'script' | 'busy' | 'absent';

export function probeScriptPort(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let buffer = '';
    const done = (result: ProbeResult): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done('absent'), timeoutMs);
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      const nl = buffer.indexOf('\n');
      if (nl < 0) {
        if (buffer.length > 64 * 1024) done('absent');
        return;
      }
      try {
        const line = JSON.parse(buffer.slice(0, nl)) as { type?: string; error?: { code?: string } };
        done(line.type === 'hello' ? 'script' : line.type === 'error' && line.error?.code === 'AGENT_CONFLICT' ? 'busy' : 'absent');
      } catch {
        done('absent');
      }
    });
    socket.on('error', () => done('absent'));
    socket.on('close', () => done('absent'));
  });
}

/** True when something on the port greets us like the Roomtone Remote Script does. */
export async function probeRemoteScript(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return (await probeScriptPort(host, port, timeoutMs)) === 'script';
}
