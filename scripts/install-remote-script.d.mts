// Types for scripts/install-remote-script.mjs (plain Node ESM, no build step).
export interface RemoteScriptsDir {
  dir?: string;
  source?: '--dest' | 'ROOMTONE_REMOTE_SCRIPTS_DIR' | 'default';
  error?: string;
}

export function remoteScriptsDir(opts: {
  dest?: string;
  env?: Record<string, string | undefined>;
  platform?: string;
  home?: string;
}): RemoteScriptsDir;

export function install(opts: {
  src: string;
  remoteScripts: string;
  dryRun?: boolean;
  log?: (line: string) => void;
}): { target: string; files: string[]; replaced?: boolean };
