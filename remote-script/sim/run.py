#!/usr/bin/env python3
"""Run the Roomtone Remote Script against the simulated Live.

    python3 remote-script/sim/run.py [--host 127.0.0.1] [--port 47800] [--tick-hz 100]
                                     [--seed 1] [--live-version 12.3.6] [--no-fresh-wrappers]
                                     [--set demo|heavy|rehearsal] [--library small|large]
                                     [--quirks -name,...] [--automation N] [--as-live]
                                     [--exit-on-stdin-eof]

Prints exactly one line `roomtone-sim ready port=<port> live=<version>` when the script
listens (again after each new_set). stdin takes JSON-line commands (see docs/remote-script.md):
exec, eval, stall, new_set, quit. SIGTERM/SIGINT disconnect the script and exit 0; EOF on stdin
quits only with --exit-on-stdin-eof (the launcher passes it, so the simulator ends with the
launcher however the launcher ends). Everything else (logs, the script's own prints) goes to stderr.
"""
import argparse
import json
import os
import signal
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REMOTE_SCRIPT_DIR = os.path.dirname(HERE)

try:
    import queue
except ImportError:  # pragma: no cover
    import Queue as queue


def parse_args(argv):
    ap = argparse.ArgumentParser(description='Roomtone Live simulator')
    ap.add_argument('--host', default='127.0.0.1')
    ap.add_argument('--port', type=int, default=47800, help='0 = any free port (the ready line says which)')
    ap.add_argument('--tick-hz', type=float, default=100.0)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--live-version', default='12.3.6', choices=['11.0.0', '12.0.5', '12.3.6'])
    ap.add_argument('--no-fresh-wrappers', dest='fresh_wrappers', action='store_false',
                    help='hand out the same Python object on every access (by default, like Live, '
                         'every access makes a new wrapper: compare Live objects with ==, never is)')
    ap.add_argument('--set', dest='set_name', default=os.environ.get('ROOMTONE_SIM_SET') or 'demo',
                    choices=['demo', 'heavy', 'rehearsal'],
                    help='which set Live has open (also ROOMTONE_SIM_SET); heavy: 100+ tracks, 40,000+ parameters')
    ap.add_argument('--library', choices=['small', 'large'], default=None,
                    help="the browser's library; large (20,000+ items) comes with the heavy set by default")
    ap.add_argument('--quirks', default=os.environ.get('ROOMTONE_SIM_QUIRKS', ''),
                    help="switch Live's quirks: '-name' off, 'name' on, comma separated (all on by default)")
    ap.add_argument('--automation', type=int, default=0,
                    help='keep this many parameters automated while the song plays')
    ap.add_argument('--as-live', action='store_true',
                    help='stand in for a real Live: the script reports simulated=false (tests of Live coming and going)')
    ap.add_argument('--exit-on-stdin-eof', action='store_true',
                    help='quit when stdin closes (the process that started us is gone)')
    ap.add_argument('--secret-file', default=None,
                    help='the agent secret the script shares with its launcher (made 0600 when missing; '
                         'default: next to the script, as in Live)')
    ap.add_argument('--script-package', default='Roomtone', help=argparse.SUPPRESS)
    ap.add_argument('--script-path', default=None, help=argparse.SUPPRESS)
    return ap.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.tick_hz <= 0:
        sys.stderr.write('--tick-hz must be > 0\n')
        return 2
    # `import Live` must find the fake; `import Roomtone` the real script package
    front = [HERE] + ([os.path.abspath(args.script_path)] if args.script_path else []) + [REMOTE_SCRIPT_DIR]
    sys.path[:] = front + [p for p in sys.path if p not in front and os.path.abspath(p or '.') not in front]
    os.environ['ROOMTONE_SCRIPT_HOST'] = args.host
    os.environ['ROOMTONE_SCRIPT_PORT'] = str(args.port)
    os.environ['ROOMTONE_SIM_LIVE_VERSION'] = args.live_version
    if args.secret_file:
        os.environ['ROOMTONE_SCRIPT_SECRET_FILE'] = os.path.abspath(args.secret_file)

    out = sys.stdout
    sys.stdout = sys.stderr   # stray prints must not corrupt the control channel
    out_lock = threading.Lock()

    def emit(line):
        with out_lock:
            try:
                out.write(line + '\n')
                out.flush()
            except (OSError, ValueError):
                pass   # nobody reads stdout any more: keep simulating

    from livesim.runner import Sim
    from livesim import quirks as Q
    try:
        quirks = Q.parse(args.quirks)
    except ValueError as e:
        sys.stderr.write('roomtone-sim: %s\n' % e)
        return 2
    sim = Sim(args.live_version, args.seed, args.script_package, args.host, args.port, emit,
              fresh_wrappers=args.fresh_wrappers, set_name=args.set_name, library=args.library, quirks=quirks,
              as_live=args.as_live)
    if args.automation:
        sim.world.automate(args.automation)

    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    commands = queue.Queue()

    def read_stdin():
        stream = sys.stdin
        if stream is None:
            return
        while True:
            try:
                line = stream.readline()
            except (OSError, ValueError):
                return
            if not line:
                if args.exit_on_stdin_eof:
                    stop.set()
                return   # EOF: keep running, unless told to follow our parent
            line = line.strip()
            if line:
                commands.put(line)

    reader = threading.Thread(target=read_stdin, name='sim-stdin')
    reader.daemon = True
    reader.start()

    try:
        sim.start()
    except Exception as e:
        import traceback
        sys.stderr.write('roomtone-sim: the script did not start: %s\n%s' % (e, traceback.format_exc()))
        sim.stop()
        return 1

    period = 1.0 / args.tick_hz
    last = time.monotonic()
    quit_requested = False
    while not stop.is_set() and not quit_requested:
        t0 = time.monotonic()
        # Control ops first, then the tick: a change made "in Live" between two ticks is
        # seen by the very next tick, as a user's change in Live is (handling them after
        # the tick made every such change wait one extra tick).
        while True:
            try:
                line = commands.get_nowait()
            except queue.Empty:
                break
            reply, quit_requested = sim.handle_line(line)
            if reply is not None:
                emit(json.dumps(reply))
            if quit_requested:
                break
            if sim.stall_s > 0:
                stall, sim.stall_s = sim.stall_s, 0.0
                stop.wait(stall)     # the main thread is busy: no ticks, timers or commands
                break
        if quit_requested:
            break
        now = time.monotonic()
        dt = min(now - last, 60.0)   # simulated time follows the wall clock (after a stall too)
        last = now
        sim.tick(dt)
        spare = period - (time.monotonic() - t0)
        if spare > 0 and not quit_requested:
            stop.wait(spare)
    if not quit_requested:
        sim.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
