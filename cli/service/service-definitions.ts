import path from 'node:path';
import { build as buildPlist } from 'plist';
import type { UserFolders } from '../paths/user-folders.ts';

export type ServiceSystem = 'launchd' | 'task-scheduler' | 'systemd';

/** What every system's definition says, in the same words. */
export interface ServiceSpec {
  /** Absolute path of the node executable that installed the service. */
  node: string;
  /** Absolute path of bin/roomtone.mjs in this package. */
  bin: string;
  /** What follows `roomtone`: start --service and the options given to `service install`. */
  args: string[];
  folders: UserFolders;
  /** The PATH at install time: service managers start with a minimal one, where python3 is not. */
  pathEnv: string;
  /** Windows: DOMAIN\user the logon trigger is for. */
  user?: string;
}

export const LAUNCHD_LABEL = 'com.roomtone.server';
export const SYSTEMD_UNIT = 'roomtone.service';
export const TASK_NAME = 'Roomtone';
/** A crashed Roomtone is started again after this long (Task Scheduler's shortest is one minute). */
export const RESTART_DELAY_S = 5;

export function systemFor(platform: NodeJS.Platform): ServiceSystem {
  return platform === 'darwin' ? 'launchd' : platform === 'win32' ? 'task-scheduler' : 'systemd';
}

/** Where the definition goes: the user's LaunchAgents, systemd user units, or beside config.json for schtasks to import. */
export function definitionPath(system: ServiceSystem, home: string, folders: UserFolders, env: Record<string, string | undefined> = {}): string {
  if (system === 'launchd') return path.posix.join(home, 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`);
  if (system === 'task-scheduler') return path.win32.join(folders.config, 'roomtone-task.xml');
  const configHome = env.XDG_CONFIG_HOME && path.posix.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.posix.join(home, '.config');
  return path.posix.join(configHome, 'systemd', 'user', SYSTEMD_UNIT);
}

/** The file's contents (UTF-16 with a BOM for Task Scheduler, which expects it). */
export function definition(system: ServiceSystem, spec: ServiceSpec): Buffer {
  if (system === 'launchd') return Buffer.from(launchdPlist(spec), 'utf8');
  if (system === 'systemd') return Buffer.from(systemdUnit(spec), 'utf8');
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(taskXml(spec), 'utf16le')]);
}

/**
 * A launchd agent: loaded at login, started again after a crash (not after a clean
 * stop), "Interactive" so macOS does not throttle it like a background job while Live
 * plays. Logs go to roomtone.N.log; launchd's own files catch only the banner (never
 * with secrets: they are not a terminal) and warnings.
 */
export function launchdPlist(spec: ServiceSpec): string {
  return buildPlist({
    Label: LAUNCHD_LABEL,
    ProgramArguments: [spec.node, spec.bin, ...spec.args],
    WorkingDirectory: spec.folders.config,
    EnvironmentVariables: { PATH: spec.pathEnv },
    RunAtLoad: true,
    KeepAlive: { SuccessfulExit: false },
    ThrottleInterval: RESTART_DELAY_S,
    ProcessType: 'Interactive',
    ExitTimeOut: 10,
    StandardOutPath: path.posix.join(spec.folders.logs, 'launchd.out.log'),
    StandardErrorPath: path.posix.join(spec.folders.logs, 'launchd.err.log'),
  });
}

/**
 * A systemd user unit. No dependency on network-online.target: the user manager has no
 * such unit. Roomtone instead notices addresses that appear after it started, then
 * advertises them and renews its certificate (cli/start.ts watches every 5 s).
 */
export function systemdUnit(spec: ServiceSpec): string {
  return [
    '[Unit]',
    'Description=Roomtone: one Ableton Live set, shared by the room',
    `Documentation=file://${spec.bin.replace(/\/bin\/roomtone\.mjs$/, '/docs/operations.md')}`,
    '',
    '[Service]',
    'Type=exec',
    `ExecStart=${[spec.node, spec.bin, ...spec.args].map(systemdQuote).join(' ')}`,
    `WorkingDirectory=${systemdQuote(spec.folders.config)}`,
    `Environment=${systemdQuote(`PATH=${spec.pathEnv}`)}`,
    'Restart=on-failure',
    `RestartSec=${RESTART_DELAY_S}`,
    // SIGTERM to Roomtone alone; it stops its agent and simulator itself, within seconds.
    'KillMode=mixed',
    'TimeoutStopSec=15',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

/** systemd's quoting: double quotes, C escapes, and specifiers (%) and variables ($) doubled. */
function systemdQuote(arg: string): string {
  return `"${arg.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
}

/**
 * A Task Scheduler task that starts Roomtone when the user logs on, restarts it after a
 * failure, never stops it for running long or on battery, and never starts a second one.
 */
export function taskXml(spec: ServiceSpec): string {
  const user = xml(spec.user ?? '');
  return `<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>Roomtone: one Ableton Live set, shared by the room</Description>
    <URI>\\${TASK_NAME}</URI>
  </RegistrationInfo>
  <Triggers>
    <LogonTrigger>
      <Enabled>true</Enabled>
      <UserId>${user}</UserId>
    </LogonTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <UserId>${user}</UserId>
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <AllowHardTerminate>true</AllowHardTerminate>
    <StartWhenAvailable>true</StartWhenAvailable>
    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>
    <IdleSettings>
      <StopOnIdleEnd>false</StopOnIdleEnd>
      <RestartOnIdle>false</RestartOnIdle>
    </IdleSettings>
    <AllowStartOnDemand>true</AllowStartOnDemand>
    <Enabled>true</Enabled>
    <Hidden>false</Hidden>
    <RunOnlyIfIdle>false</RunOnlyIfIdle>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
    <Priority>5</Priority>
    <RestartOnFailure>
      <Interval>PT1M</Interval>
      <Count>999</Count>
    </RestartOnFailure>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>${xml(spec.node)}</Command>
      <Arguments>${xml([spec.bin, ...spec.args].map(windowsQuote).join(' '))}</Arguments>
      <WorkingDirectory>${xml(spec.folders.config)}</WorkingDirectory>
    </Exec>
  </Actions>
</Task>
`;
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** One argument as Windows' CommandLineToArgvW reads it back. */
export function windowsQuote(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  return `"${arg.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`;
}
