/**
 * What the server logs through. The launcher hands in its structured logger (pino);
 * the server used as a library in tests logs to the console.
 */
export interface ServerLog {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export const consoleLog: ServerLog = {
  debug: () => undefined,
  info: (msg) => console.log(msg),
  warn: (msg) => console.warn(msg),
  error: (msg) => console.error(msg),
};
