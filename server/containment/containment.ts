import type { Namespace, Socket } from 'socket.io';

/** Where a contained fault happened (`http GET /x`, `socket /room command`…) and what it was. */
export type FaultReporter = (where: string, error: Error) => void;

type Listener = (...args: unknown[]) => unknown;

/**
 * The layer that keeps one request's or one socket's fault from ending the server: a
 * throw or a rejected promise inside a handler is reported (logged and audited by the
 * reporter) and goes no further. The rest of the room keeps playing.
 *
 * Express catches what its own routes throw; what runs outside it — socket.io's
 * connection and event listeners (called from a `process.nextTick`, where nothing
 * catches), raw `ws` listeners and the HTTP router itself — goes through here.
 */
export class Containment {
  constructor(private readonly report: FaultReporter) {}

  /** `fn`, with its throw or rejection reported instead of escaping. */
  guard<A extends unknown[]>(where: string, fn: (...args: A) => unknown): (...args: A) => void {
    return (...args: A): void => {
      try {
        const result = fn(...args);
        if (result instanceof Promise) result.catch((err: unknown) => this.fault(where, err));
      } catch (err) {
        this.fault(where, err);
      }
    };
  }

  /** Reports a fault caught elsewhere (express's error handler, a failed write). */
  fault(where: string, err: unknown): void {
    try {
      this.report(where, err instanceof Error ? err : new Error(String(err)));
    } catch {
      // A reporter that fails (a full disk under the audit log) must not become the crash.
    }
  }

  /**
   * Every listener later added to this namespace's `connection` event or to one of its
   * sockets runs guarded. Call before anything registers on the namespace: listeners
   * that a handler adds later (i14's typed events, a new host power) are covered without
   * each call site remembering to.
   */
  watchNamespace(namespace: Namespace): void {
    const name = namespace.name;
    guardListeners(namespace, (event) => `socket ${name} ${event}`, this);
    namespace.use((socket: Socket, next) => {
      guardListeners(socket, (event) => `socket ${name} ${event}`, this);
      next();
    });
  }
}

interface ListenerHost {
  on(event: string, listener: Listener): unknown;
  once(event: string, listener: Listener): unknown;
  addListener(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
  removeListener(event: string, listener: Listener): unknown;
}

/**
 * Replaces the host's registration methods with ones that register a guarded listener,
 * and its removal methods with ones that find the guard of a listener, so `off(fn)` keeps
 * working with the function that was registered.
 */
function guardListeners(host: ListenerHost, where: (event: string) => string, containment: Containment): void {
  const guards = new WeakMap<Listener, Listener>();
  for (const method of ['on', 'once', 'addListener'] as const) {
    const register = host[method].bind(host);
    Object.defineProperty(host, method, {
      configurable: true,
      value: (event: string, listener: Listener) => {
        const guarded = guards.get(listener) ?? containment.guard(where(event), listener);
        guards.set(listener, guarded);
        return register(event, guarded);
      },
    });
  }
  for (const method of ['off', 'removeListener'] as const) {
    const unregister = host[method].bind(host);
    Object.defineProperty(host, method, {
      configurable: true,
      value: (event: string, listener: Listener) => unregister(event, guards.get(listener) ?? listener),
    });
  }
}
