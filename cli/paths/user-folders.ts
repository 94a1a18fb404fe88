import os from 'node:os';
import path from 'node:path';

/** Where Roomtone keeps what must outlive an upgrade or a reinstall. */
export interface UserFolders {
  /** config.json (and an optional .env) live here. */
  config: string;
  /** Sessions, the room's switches, notes, the audit log, the agent's token. */
  data: string;
  /** The local CA tablets trust, and the server certificate it signs. */
  certs: string;
  logs: string;
}

export interface FolderContext {
  platform?: NodeJS.Platform;
  env?: Record<string, string | undefined>;
  home?: string;
}

/**
 * The OS's per-user folders, as each system's own applications use them: Application
 * Support and Logs on macOS, AppData on Windows, the XDG base directories on Linux.
 * Written out here rather than taken from env-paths, which reads the platform itself
 * and so cannot give the service tests the other two systems' layouts.
 */
export function userFolders({ platform = process.platform, env = process.env, home = os.homedir() }: FolderContext = {}): UserFolders {
  if (platform === 'darwin') {
    const support = path.posix.join(home, 'Library', 'Application Support', 'Roomtone');
    return { config: support, data: path.posix.join(support, 'data'), certs: path.posix.join(support, 'certs'), logs: path.posix.join(home, 'Library', 'Logs', 'Roomtone') };
  }
  if (platform === 'win32') {
    const roaming = env.APPDATA || path.win32.join(home, 'AppData', 'Roaming');
    const local = path.win32.join(env.LOCALAPPDATA || path.win32.join(home, 'AppData', 'Local'), 'Roomtone');
    return { config: path.win32.join(roaming, 'Roomtone'), data: path.win32.join(local, 'data'), certs: path.win32.join(local, 'certs'), logs: path.win32.join(local, 'logs') };
  }
  // XDG: a relative value is invalid and must be ignored (base directory spec).
  const xdg = (name: string, fallback: string): string => {
    const value = env[name];
    return value && path.posix.isAbsolute(value) ? value : path.posix.join(home, fallback);
  };
  const data = path.posix.join(xdg('XDG_DATA_HOME', '.local/share'), 'roomtone');
  return {
    config: path.posix.join(xdg('XDG_CONFIG_HOME', '.config'), 'roomtone'),
    data: path.posix.join(data, 'data'),
    certs: path.posix.join(data, 'certs'),
    logs: path.posix.join(xdg('XDG_STATE_HOME', '.local/state'), 'roomtone', 'logs'),
  };
}
