import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { browseServers } from '../../server/discovery/browse.ts';
import { lan } from '../../server/util/lan-address.ts';
import { PACKAGE_VERSION } from '../../server/util/package-root.ts';
import type { Settings } from '../options/option-table.ts';
import type { Resolved } from '../options/resolve.ts';
import { SCRIPT_SOURCE, remoteScriptsDir, scriptDigest } from '../remote-script/remote-script-files.ts';
import { describeCandidate } from '../start/banner.ts';
import { greetRemoteScript } from '../start/live-probe.ts';
import { secretFiles } from '../start/live-source.ts';
import { findPython } from '../start/python.ts';
import { readRunningFile } from '../start/running-file.ts';

/** ok: fine. note: worth knowing, nothing to do now. warn: the room runs, but something is missing. fail: the room cannot run. */
export type Verdict = 'ok' | 'note' | 'warn' | 'fail';
export interface Finding { check: string; verdict: Verdict; text: string }

const MIN_NODE = [20, 19];
const MIN_PYTHON = [3, 7];
const LABEL: Record<Verdict, string> = { ok: 'OK  ', note: 'NOTE', warn: 'WARN', fail: 'FAIL' };

/**
 * `roomtone doctor`: what a studio engineer checks before a session, each line OK or
 * what to do. Exit 0 when the room can run (Live not open yet is a note), 1 when it
 * cannot. It sends nothing beyond this machine, except an mDNS query when a Roomtone
 * is running here, to see that it is advertised.
 */
export async function runDoctor({ settings }: Resolved): Promise<number> {
  const running = liveRoomtone(settings);
  await lan.refresh();
  const findings = [
    node(),
    await python(settings),
    ...(await ports(settings, running)),
    dataFolder(settings, running),
    network(),
    certificates(settings),
    remoteScript(settings),
    await live(settings),
    await mdns(settings, running),
    firewall(settings),
  ];
  if (settings.json) process.stdout.write(`${JSON.stringify(findings, null, 2)}\n`);
  else process.stdout.write(`${findings.map((f) => `${LABEL[f.verdict]}  ${f.text}`).join('\n')}\n`);
  const failed = findings.filter((f) => f.verdict === 'fail').length;
  if (!settings.json) process.stdout.write(failed ? `\nThe room cannot run until the ${failed === 1 ? 'FAIL line is' : `${failed} FAIL lines are`} fixed.\n` : '\nThe room can run.\n');
  return failed ? 1 : 0;
}

function node(): Finding {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const ok = major > MIN_NODE[0]! || (major === MIN_NODE[0] && minor >= MIN_NODE[1]!);
  return { check: 'node', verdict: ok ? 'ok' : 'fail', text: ok ? `Node ${process.version} (${process.execPath})` : `Node ${process.version} is too old: Roomtone needs ${MIN_NODE.join('.')} or newer (https://nodejs.org)` };
}

async function python(s: Settings): Promise<Finding> {
  const found = await findPython(s.python);
  if (!found) return { check: 'python', verdict: 'warn', text: `Python 3 not found ("${s.python}"): the simulator cannot run (Live itself does not need it). Install Python 3, or name it with --python / ROOMTONE_PYTHON.` };
  const version = await commandOutput(found, ['--version']);
  const match = /Python (\d+)\.(\d+)(?:\.(\d+))?/.exec(version ?? '');
  if (!match) return { check: 'python', verdict: 'warn', text: `${found} did not say which Python it is; the simulator may not run` };
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const ok = major > MIN_PYTHON[0]! || (major === MIN_PYTHON[0] && minor >= MIN_PYTHON[1]!);
  return { check: 'python', verdict: ok ? 'ok' : 'warn', text: ok ? `${match[0]} (${found}) for the simulator` : `${match[0]} (${found}) is too old for the simulator: it needs Python ${MIN_PYTHON.join('.')}+` };
}

interface RunningRoomtone { pid: number; localUrl: string; version: string; mdns?: boolean }

/** The Roomtone that holds this data folder, if one runs. */
function liveRoomtone(s: Settings): RunningRoomtone | null {
  const info = readRunningFile(s.dataDir);
  if (!info) return null;
  try {
    process.kill(info.pid, 0);
    return info;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? info : null;
  }
}

async function ports(s: Settings, running: RunningRoomtone | null): Promise<Finding[]> {
  const checks: Array<[string, number, string]> = [['https port', s.port, '--port']];
  if (s.httpPort >= 0) checks.push(['http port', s.httpPort, '--http-port']);
  return Promise.all(checks.map(async ([what, port, flag]): Promise<Finding> => {
    if (port === 0) return { check: what, verdict: 'ok', text: `${what}: any free port (${flag} 0)` };
    const problem = await canListen(port, s.host);
    if (!problem) return { check: what, verdict: 'ok', text: `${what} ${port} is free on ${s.host}` };
    if (problem === 'EADDRINUSE') {
      const version = running ? running.version : await roomtoneOn(port);
      if (version) return { check: what, verdict: 'ok', text: `${what} ${port} is in use by a running Roomtone ${version}` };
      return { check: what, verdict: 'fail', text: `${what} ${port} is in use by another program: stop it, or choose another with ${flag}` };
    }
    if (problem === 'EACCES') return { check: what, verdict: 'fail', text: `${what} ${port} needs administrator rights here: choose one above 1023 with ${flag}` };
    return { check: what, verdict: 'fail', text: `${what} ${port} cannot be opened on ${s.host} (${problem}): check --host` };
  }));
}

function canListen(port: number, host: string): Promise<string | null> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    probe.listen(port, host, () => probe.close(() => resolve(null)));
  });
}

/** Whether a Roomtone answers /healthz on this port, and its version. */
function roomtoneOn(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const req = https.get({ host: '127.0.0.1', port, path: '/healthz', rejectUnauthorized: false, timeout: 2_000 }, (res) => {
      let body = '';
      res.on('data', (b: Buffer) => { body += b.toString(); });
      res.on('end', () => {
        try {
          const version = (JSON.parse(body) as { version?: unknown }).version;
          resolve(typeof version === 'string' ? version : null);
        } catch {
          resolve(null);
        }
      });
    });
    req.on('error', () => resolve(null));
    req.on('timeout', () => req.destroy());
  });
}

function dataFolder(s: Settings, running: RunningRoomtone | null): Finding {
  // The folder itself, or the nearest one above it that exists (start makes the rest).
  let existing = s.dataDir;
  while (!existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  try {
    accessSync(existing, constants.W_OK);
  } catch (err) {
    return { check: 'data', verdict: 'fail', text: `the data folder ${s.dataDir} cannot be written (${(err as Error).message}): fix its permissions or choose another with --data-dir` };
  }
  if (running) return { check: 'data', verdict: 'ok', text: `data folder ${s.dataDir}, in use by the running Roomtone (pid ${running.pid}, ${running.localUrl})` };
  return { check: 'data', verdict: 'ok', text: `data folder ${s.dataDir} ${existing === s.dataDir ? 'is writable' : 'can be made'}` };
}

function network(): Finding {
  const candidates = lan.candidates();
  if (candidates.length === 0) return { check: 'network', verdict: 'warn', text: 'no network address: tablets cannot reach this machine until it joins a network (the room still runs on 127.0.0.1)' };
  const [best, ...others] = candidates;
  return { check: 'network', verdict: 'ok', text: `LAN address ${describeCandidate(best!)}${others.length ? `; also ${others.map(describeCandidate).join(', ')}` : ''}` };
}

function certificates(s: Settings): Finding {
  const caFile = path.join(s.certsDir, 'ca.crt');
  const certFile = path.join(s.certsDir, 'server.crt');
  if (!existsSync(caFile)) return { check: 'certificates', verdict: 'note', text: `no certificates yet in ${s.certsDir}: the first start makes a local CA (install it once on each tablet) and a server certificate` };
  let ca: X509Certificate;
  try {
    ca = new X509Certificate(readFileSync(caFile));
  } catch (err) {
    return { check: 'certificates', verdict: 'fail', text: `${caFile} cannot be read (${(err as Error).message}): restore it from a backup (docs/operations.md)` };
  }
  const caLeftDays = Math.floor((Date.parse(ca.validTo) - Date.now()) / 86_400_000);
  if (caLeftDays < 0) return { check: 'certificates', verdict: 'fail', text: `the local CA expired on ${ca.validTo}: replace it (docs/operations.md, "Renew or replace the CA")` };
  if (!existsSync(certFile)) return { check: 'certificates', verdict: 'note', text: `CA ${ca.fingerprint256.slice(0, 23)}… valid until ${ca.validTo}; the server certificate is made at start` };
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(readFileSync(certFile));
  } catch {
    return { check: 'certificates', verdict: 'note', text: `${certFile} cannot be read: the next start makes a new one from the same CA` };
  }
  const missing = lan.candidates().map((c) => c.address).filter((ip) => cert.checkIP(ip) === undefined);
  const caWarn = caLeftDays < 365 ? `; the CA ends in ${caLeftDays} days: plan to replace it (docs/operations.md)` : '';
  if (!cert.checkIssued(ca)) return { check: 'certificates', verdict: 'note', text: `the server certificate was not issued by this CA: the next start makes a new one${caWarn}` };
  if (missing.length) return { check: 'certificates', verdict: 'note', text: `the server certificate does not name ${missing.join(', ')}: Roomtone remakes it at start (and within a minute while running); tablets keep trusting the same CA${caWarn}` };
  return { check: 'certificates', verdict: caWarn ? 'warn' : 'ok', text: `certificates in ${s.certsDir}: CA valid until ${ca.validTo}, server certificate until ${cert.validTo}, covering this machine's addresses${caWarn}` };
}

function remoteScript(s: Settings): Finding {
  const where = remoteScriptsDir({ dest: s.dest });
  if (!where.dir) {
    const linux = process.platform !== 'darwin' && process.platform !== 'win32';
    return { check: 'remote script', verdict: 'note', text: linux ? 'Live does not run on this system: the Remote Script is installed on the machine that runs Live (roomtone install-remote-script --dest <its Remote Scripts folder>)' : (where.error ?? '').split('\n')[0]! };
  }
  const target = path.join(where.dir, 'Roomtone');
  if (!existsSync(path.join(target, '__init__.py'))) return { check: 'remote script', verdict: 'warn', text: `the Roomtone Remote Script is not in ${where.dir}: run \`roomtone install-remote-script\`, then choose Roomtone as a Control Surface in Live` };
  if (scriptDigest(target) !== scriptDigest(SCRIPT_SOURCE)) return { check: 'remote script', verdict: 'warn', text: `the Remote Script in ${target} is not this version's (${PACKAGE_VERSION}): run \`roomtone install-remote-script\` and restart Live` };
  return { check: 'remote script', verdict: 'ok', text: `the Remote Script in ${target} matches this version (${PACKAGE_VERSION})` };
}

async function live(s: Settings): Promise<Finding> {
  const hello = await greetRemoteScript('127.0.0.1', s.scriptPort, 1_500);
  if (!hello) return { check: 'live', verdict: 'note', text: `Live is not open, or Roomtone is not its Control Surface (nothing answers on 127.0.0.1:${s.scriptPort}): fine for now, Roomtone finds Live when it opens` };
  const what = hello.live?.simulated ? 'the simulator' : `Live ${hello.live?.version ?? ''}`.trim();
  // The script asks for a proof (H9): the agent needs the secret the script made next to itself.
  const secretFile = hello.nonce !== undefined && !hello.live?.simulated ? secretFiles(s).live : null;
  if (secretFile !== null && !readableSecret(secretFile)) {
    return { check: 'live', verdict: 'warn', text: `${what} answers on 127.0.0.1:${s.scriptPort}, but the agent secret ${secretFile} cannot be read, so the host agent cannot prove itself: reinstall the script (roomtone install-remote-script), restart Live, or name the file with --script-secret-file` };
  }
  return { check: 'live', verdict: 'ok', text: `${what} answers on 127.0.0.1:${s.scriptPort} with the Roomtone Remote Script` };
}

function readableSecret(file: string): boolean {
  try {
    return readFileSync(file, 'utf8').trim().length >= 32;
  } catch {
    return false;
  }
}

async function mdns(s: Settings, running: RunningRoomtone | null): Promise<Finding> {
  if (!s.mdns) return { check: 'mdns', verdict: 'note', text: 'mDNS is off (--no-mdns): people join with the QR code or the URL' };
  if (!running) return { check: 'mdns', verdict: 'note', text: 'mDNS: checked while Roomtone runs (roomtone discover lists what this network advertises)' };
  if (running.mdns === false) return { check: 'mdns', verdict: 'note', text: 'the running Roomtone was started without mDNS (--no-mdns): people join with the QR code or the URL' };
  const port = Number(new URL(running.localUrl).port);
  const found = await browseServers({ timeoutMs: 2_500 });
  if (found.some((f) => f.port === port)) return { check: 'mdns', verdict: 'ok', text: `the running Roomtone is advertised on this network (mDNS, port ${port})` };
  return { check: 'mdns', verdict: 'warn', text: 'the running Roomtone was not heard on mDNS: this network may block multicast (guest Wi-Fi often does); the QR code and URL still work' };
}

function firewall(s: Settings): Finding {
  const ports = `TCP ${s.port || 'the HTTPS port'}${s.httpPort > 0 ? ` and ${s.httpPort}` : ''}, and UDP 5353 for mDNS`;
  const hint = process.platform === 'darwin'
    ? 'macOS asks once whether node may accept incoming connections: allow it (System Settings > Network > Firewall > Options lists it)'
    : process.platform === 'win32'
      ? 'Windows asks once whether Node.js may use the network: allow Private networks (Windows Security > Firewall > Allow an app)'
      : 'if a firewall runs (ufw, firewalld), allow';
  return { check: 'firewall', verdict: 'note', text: `firewall: ${hint}${process.platform === 'linux' ? ` ${ports}` : `; the room needs ${ports}`}` };
}

function commandOutput(command: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 5_000, windowsHide: true }, (err, stdout, stderr) => resolve(err ? null : `${stdout}${stderr}`.trim()));
  });
}
