import net from 'node:net';

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
      try {
        const hello = JSON.parse(buffer.slice(0, nl)) as { type?: string };
        done(hello.type === 'hello');
      } catch {
        done(false);
      }
    });
    socket.on('error', () => done(false));
  });
}
