#!/usr/bin/env python3
"""Run the Roomtone Remote Script against the simulated Live.

    python3 remote-script/sim/run.py [--host 127.0.0.1] [--port 47800] [--tick-hz 100]
                                     [--seed 1] [--live-version 12.3.6] [--no-fresh-wrappers]

Prints exactly one line `roomtone-sim ready port=<port> live=<version>` when the script
listens (again after each new_set). stdin takes JSON-line commands (see docs/remote-script.md):
exec, eval, stall, new_set, quit. SIGTERM/SIGINT disconnect the script and exit 0; EOF on stdin
does not quit. Everything else (logs, the script's own prints) goes to stderr.
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
    os.environ['ROOMTONE_SIM'] = '1'
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
    sim = Sim(args.live_version, args.seed, args.script_package, args.host, args.port, emit,
              fresh_wrappers=args.fresh_wrappers)

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
                return   # EOF: keep running
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
