"""Shared helpers for the Remote Script tests (no tests of its own).

`Harness` runs the real Roomtone script against the simulator's fake Live in-process.
Lines the script would send are captured (a stand-in for the socket thread with the same
`inbound`/`send` surface), and ticks are driven directly, so nothing waits on wall time.
`TcpHarness` keeps the real socket thread and talks to it over 127.0.0.1.
"""
import collections
import json
import os
import socket
import time
import unittest

from . import simpath  # noqa: F401  (sys.path)

from livesim import world as W

import Roomtone
from Roomtone import protocol

VERSIONS = ('11.0.0', '12.0.5', '12.3.6')


def poll(cond, timeout=5.0, step=None):
    """Call step() until cond() is true or `timeout` seconds pass; returns cond()'s last value."""
    end = time.monotonic() + timeout
    while True:
        v = cond()
        if v:
            return v
        if time.monotonic() > end:
            return v
        if step is not None:
            step()
        else:
            time.sleep(0.001)


class CInstance(object):
    """What Live hands a control surface, as far as Roomtone uses it."""

    def __init__(self, world):
        self.world = world
        self.logs = []
        self.messages = []

    def song(self):
        return self.world.song

    def log_message(self, msg):
        self.logs.append(msg)

    def show_message(self, msg):
        self.messages.append(msg)

    def request_rebuild_midi_map(self):
        pass


class CaptureServer(object):
    """Stands in for LineServer in-process: same inbound queue and send() surface."""

    def __init__(self):
        self.inbound = collections.deque()
        self.logs = collections.deque()
        self.generation = 1
        self.connected = True
        self.sent = []

    def send(self, obj, gen=None):
        if not self.connected:
            return False
        # round-trip through the wire encoding so tests see exactly what would be sent
        data = obj if isinstance(obj, bytes) else protocol.encode_line(obj)
        self.sent.append(json.loads(data.decode('utf-8')))
        return True

    def close(self):
        self.connected = False

    def forget_owner(self):
        pass


def make_instance(world, port=0):
    old = os.environ.get('ROOMTONE_SCRIPT_PORT')
    os.environ['ROOMTONE_SCRIPT_PORT'] = str(port)
    try:
        return Roomtone.create_instance(CInstance(world))
    finally:
        if old is None:
            os.environ.pop('ROOMTONE_SCRIPT_PORT', None)
        else:
            os.environ['ROOMTONE_SCRIPT_PORT'] = old


class Harness(object):
    """`built`: the mirror reads the whole set at once (build_now), as tests of what it
    mirrors need; the budgeted, tick-by-tick build has tests of its own."""

    def __init__(self, version='12.3.6', build=None, capture=True, built=True, **world_options):
        self.world = W.World(version=version, build=build, **world_options)
        self.inst = make_instance(self.world)
        self.c = self.inst._c
        self._n = 0
        if capture:
            real = self.inst.server
            real.close()
            self.server = CaptureServer()
            self.inst.server = self.server
        # the mirror's clock (hot props' bounded rate, leases) moves 10 ms per tick, as
        # Live's timer does, however fast the test runs
        self.now = [1000.0]
        self.inst.mirror.clock = lambda: self.now[0]
        if built:
            self.inst.mirror.build_now()
            self.inst.mirror.flush()

    # ---- Live side
    @property
    def song(self):
        return self.world.song

    @property
    def live(self):
        import Live
        return Live

    def advance(self, ms=10.0):
        """Let simulated time pass in 10 ms steps, firing Live's timers (and so the script's tick)."""
        left = ms
        while left > 0:
            dt = min(10.0, left)
            self.world.advance(dt / 1000.0)
            self.world.run_timers()
            left -= dt

    def tick(self, n=1):
        for _ in range(n):
            self.now[0] += 0.01
            self.inst.tick()

    # ---- wire side
    def line(self, msg):
        self.server.inbound.append((self.server.generation, msg))

    def cmd(self, action, target=None, args=None, base_rev=None, deadline_ms=60000, cid=None):
        self._n += 1
        c = {'id': cid or 'c%d' % self._n, 'action': action, 'target': target,
             'args': {} if args is None else args, 'deadline': time.time() * 1000 + deadline_ms}
        if base_rev is not None:
            c['baseRev'] = base_rev
        return c

    def run(self, action, target=None, args=None, base_rev=None, **kw):
        """Send one command, tick until it is answered, return its result."""
        c = self.cmd(action, target, args, base_rev, **kw)
        return self.run_batch([c])[0]

    def run_batch(self, commands, max_ticks=100):
        """Send one line of commands; tick until each has its answer (a line runs within
        the tick's budget, so a slow machine may spread it over a few ticks)."""
        start = len(self.server.sent)
        self.line({'type': 'commands', 'commands': commands})
        want = [c.get('id') if isinstance(c, dict) else '' for c in commands]
        got = {}
        for _ in range(max_ticks):
            self.tick()
            for msg in self.server.sent[start:]:
                if msg['type'] == 'results':
                    for r in msg['results']:
                        got[r['id']] = r
            start = len(self.server.sent)
            if all(w in got for w in want) or not self.server.inbound:
                break
        return [got.get(w) for w in want]

    def steps_per_tick(self, n):
        """Background jobs run exactly `n` steps a tick from now on. Their budget is wall
        time, so how far a list's reading gets in one tick depends on the machine; with
        this a test puts Live's changes at every point of a half-read list on purpose."""
        run = self.inst.jobs.run

        def steps(deadline, clock=None):
            count = [0]

            def fake_clock():
                count[0] += 1
                return 1.0 if count[0] >= n else 0.0
            return run(0.5, fake_clock)
        self.inst.jobs.run = steps

    def sent(self, kind=None):
        return [m for m in self.server.sent if kind is None or m['type'] == kind]

    def clear(self):
        del self.server.sent[:]

    def changes(self):
        out = []
        for m in self.sent('events'):
            out.extend(m['changes'])
        return out

    def snapshot(self):
        """The next snapshot the script sends (it may take several ticks to assemble)."""
        self.line({'type': 'snapshot_request'})
        start = len(self.server.sent)
        for _ in range(1000):
            self.tick()
            snaps = [m for m in self.server.sent[start:] if m['type'] == 'snapshot']
            if snaps:
                return snaps[-1]
        raise AssertionError('no snapshot after 1000 ticks')

    def settle(self, ticks=100000):
        """Ticks until no background job is left (a device's parameters, the index).
        The tick after the mirror's last job sees it whole and starts indexing Live's
        browser, so a few idle ticks are allowed for that before it counts as settled."""
        idle = 0
        for _ in range(ticks):
            if not len(self.inst.jobs):
                idle += 1
                if self.inst._complete_seen or idle > 3:
                    return
            else:
                idle = 0
            self.tick()
        raise AssertionError('jobs still pending: %r' % (self.inst.jobs.keys(),))

    def observe(self, *device_ids):
        """A browser opened these devices: their parameters get mirrored."""
        self.line({'type': 'observe', 'devices': list(device_ids)})
        self.tick()
        self.settle()
        self.tick()

    def entities(self):
        return dict((e['id'], e) for e in self.snapshot()['entities'])

    def ent(self, eid):
        """The mirror's entity (props, rev) right now."""
        return self.inst.mirror.get(eid)

    def ids(self, kind):
        snap = self.snapshot()
        return [e['id'] for e in snap['entities'] if e['kind'] == kind]

    def order(self):
        return self.entities()['order']['props']

    def close(self):
        self.inst.disconnect()


class TcpClient(object):
    def __init__(self, port, pump=None):
        self.sock = socket.create_connection(('127.0.0.1', port), timeout=5)
        self.sock.setblocking(False)
        self.buf = b''
        self.lines = []
        self.seen = []      # every line's type, in arrival order
        self.closed = False
        self.pump = pump

    def send(self, obj):
        data = obj if isinstance(obj, bytes) else (json.dumps(obj) + '\n').encode('utf-8')
        self.sock.setblocking(True)
        self.sock.sendall(data)
        self.sock.setblocking(False)

    def _read(self):
        try:
            chunk = self.sock.recv(1 << 20)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self.closed = True
            return
        if not chunk:
            self.closed = True
            return
        self.buf += chunk
        while b'\n' in self.buf:
            line, self.buf = self.buf.split(b'\n', 1)
            msg = json.loads(line.decode('utf-8'))
            self.seen.append(msg.get('type'))
            self.lines.append(msg)

    def step(self):
        if self.pump is not None:
            self.pump()
        self._read()

    def wait_for(self, pred, timeout=5.0):
        """First received line (popped) with pred(line), pumping Live meanwhile; None on timeout."""
        def find():
            for i, m in enumerate(self.lines):
                if pred(m):
                    return self.lines.pop(i)
            return None
        return poll(find, timeout, self.step)

    def wait_type(self, kind, timeout=5.0):
        return self.wait_for(lambda m: m.get('type') == kind, timeout)

    def wait_closed(self, timeout=5.0):
        return poll(lambda: self.closed, timeout, self.step)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def agent_hello(client, version=None, name='test'):
    """The agent's hello with its proof for the script's nonce (agent_auth, H9). The
    script's own hello stays in `client.lines` for the test to read."""
    from Roomtone import agent_auth
    hello = poll(lambda: next((m for m in client.lines if m.get('type') == 'hello'), None), 5.0, client.step)
    if hello is None:
        raise AssertionError('the script sent no hello')
    secret = agent_auth.load_or_create(agent_auth.secret_path())
    client.send({'type': 'hello', 'protocol': protocol.PROTOCOL_VERSION if version is None else version,
                 'client': name, 'proof': agent_auth.proof(secret, hello.get('nonce', ''))})


class TcpHarness(object):
    """The script with its real socket thread; Live advanced by the client's pump."""

    def __init__(self, version='12.3.6'):
        self.world = W.World(version=version)
        self.inst = make_instance(self.world)
        self.inst.mirror.build_now()   # the budgeted build has tests of its own
        self.inst.mirror.flush()
        self.port = self.inst.port
        self.clients = []

    def pump(self):
        self.world.advance(0.01)
        self.world.run_timers()

    def connect(self, hello=True):
        c = TcpClient(self.port, self.pump)
        self.clients.append(c)
        if hello:
            agent_hello(c)
        return c

    def close(self):
        for c in self.clients:
            c.close()
        self.inst.disconnect()


class HarnessCase(unittest.TestCase):
    VERSION = '12.3.6'

    def setUp(self):
        self.h = Harness(self.VERSION)

    def tearDown(self):
        self.h.close()

    def assertOk(self, result, msg=None):
        self.assertIsNotNone(result, msg)
        self.assertTrue(result.get('ok'), '%s: %r' % (msg or 'expected ok', result))
        return result

    def assertErr(self, result, code, msg=None):
        self.assertIsNotNone(result, msg)
        self.assertFalse(result.get('ok'), '%s: %r' % (msg or 'expected error', result))
        self.assertEqual(result['error']['code'], code, result)
        self.assertIsInstance(result['error']['message'], str)
        return result
