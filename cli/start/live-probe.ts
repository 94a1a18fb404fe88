import net from 'node:net';

export interface ScriptHello {
  live?: { version?: string; simulated?: boolean };
}

/** The hello of whatever greets us on the port like the Roomtone Remote Script does, or null. */
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
      try {
        const hello = JSON.parse(buffer.slice(0, nl)) as { type?: string } & ScriptHello;
        done(hello.type === 'hello' ? hello : null);
      } catch {
        done(null);
      }
    });
    socket.on('error', () => done(null));
  });
}

/** True when something on the port greets us like the Roomtone Remote Script does. */
export async function probeRemoteScript(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return (await greetRemoteScript(host, port, timeoutMs)) !== null;
}
