"""The JSON-lines wire over real TCP sockets on 127.0.0.1 (the script's own socket thread)."""
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
import unittest

from . import simpath
from .test_script_harness import TcpHarness, TcpClient, make_instance, poll

from Roomtone import protocol
from livesim import world as W


class WireTest(unittest.TestCase):
    def setUp(self):
        self.t = TcpHarness()
        self.addCleanup(self.t.close)

    def test_hello_on_connect(self):
        c = self.t.connect(hello=False)
        hello = c.wait_type('hello')
        self.assertIsNotNone(hello)
        self.assertEqual(hello['protocol'], 1)
        self.assertRegex(hello['epoch'], r'^[0-9a-z]+$')
        self.assertEqual(hello['epoch'], self.t.inst.epoch)
        self.assertEqual(hello['live']['version'], '12.3.6')
        self.assertEqual(hello['live']['simulated'], os.environ.get('ROOMTONE_SIM') == '1')
        self.assertEqual(hello['live']['python'], '%d.%d.%d' % sys.version_info[:3])

    def test_listens_on_loopback_only_and_exposes_the_port(self):
        name = self.t.inst.server._listener.getsockname()
        self.assertEqual(name[0], '127.0.0.1')
        self.assertEqual(name[1], self.t.inst.port)
        self.assertGreater(self.t.inst.port, 0)

    def test_protocol_mismatch_is_answered_and_closed(self):
        c = self.t.connect(hello=False)
        c.wait_type('hello')
        c.send({'type': 'hello', 'protocol': 2, 'client': 'future'})
        err = c.wait_type('error')
        self.assertEqual(err['error']['code'], 'PROTOCOL_MISMATCH')
        self.assertTrue(c.wait_closed())

    def test_bad_lines_are_answered_and_the_connection_kept(self):
        c = self.t.connect()
        c.wait_type('hello')
        c.send(b'{not json\n')
        c.send(b'[1,2]\n')
        c.send({'type': 'dance'})
        c.send(b'\xff\xfe\n')
        c.send(b'[' * 200000 + b']' * 200000 + b'\n')          # deep nesting
        c.send(b'{"type":"ping","t":NaN}\n')                    # not JSON, though Python reads it
        codes = [c.wait_type('error')['error']['code'] for _ in range(6)]
        self.assertEqual(codes, ['INVALID'] * 6)
        c.send({'type': 'ping', 't': 7})
        self.assertEqual(c.wait_type('pong'), {'type': 'pong', 't': 7})
        self.assertFalse(c.closed)

    def test_a_line_over_the_limit_is_dropped_safely(self):
        c = self.t.connect()
        c.wait_type('hello')
        big = b'{"type":"ping","t":1,"pad":"' + b'x' * (protocol.SCRIPT_LINE_LIMIT + 10) + b'"}\n'
        c.send(big + b'{"type":"ping","t":2}\n')
        err = c.wait_type('error', timeout=20)
        self.assertEqual(err['error']['code'], 'TOO_LARGE')
        pong = c.wait_type('pong', timeout=20)
        self.assertEqual(pong['t'], 2, 'the next line after the oversized one still works')
        self.assertFalse(c.closed)

    def test_one_agent_at_a_time(self):
        a = self.t.connect()
        a.wait_type('hello')
        a.send({'type': 'ping', 't': 1})
        self.assertEqual(a.wait_type('pong')['t'], 1)   # a has proved itself: it holds the slot
        b = TcpClient(self.t.port, self.t.pump)
        self.t.clients.append(b)
        err = b.wait_type('error')
        self.assertEqual(err['error']['code'], 'AGENT_CONFLICT')
        self.assertTrue(b.wait_closed())
        a.send({'type': 'ping', 't': 3})
        self.assertEqual(a.wait_type('pong')['t'], 3)

    def test_reconnect_after_the_agent_goes_away(self):
        a = self.t.connect()
        a.wait_type('hello')
        a.close()
        # the socket thread must have seen the close first; a quicker agent is refused
        # AGENT_CONFLICT and retries (the host agent does, with backoff)
        self.assertTrue(poll(lambda: self.t.inst.server._conn is None, 5.0))
        b = self.t.connect()
        self.assertIsNotNone(b.wait_type('hello'))
        b.send({'type': 'ping', 't': 4})
        self.assertEqual(b.wait_type('pong')['t'], 4)

    def test_commands_round_trip_with_events_before_results(self):
        c = self.t.connect()
        c.wait_type('hello')
        c.send({'type': 'snapshot_request'})
        snap = c.wait_type('snapshot')
        ents = dict((e['id'], e) for e in snap['entities'])
        t1 = ents['order']['props']['tracks'][1]
        dl = time.time() * 1000 + 5000
        c.send({'type': 'commands', 'commands': [
            {'id': 'a', 'action': 'song.set_tempo', 'target': None, 'args': {'bpm': 125}, 'deadline': dl},
            {'id': 'b', 'action': 'transport.play', 'target': None, 'args': {}, 'deadline': dl},
            {'id': 'c', 'action': 'track.set_volume', 'target': t1, 'args': {'value': 0.5},
             'baseRev': ents[t1]['rev'], 'deadline': dl},
            {'id': 'd', 'action': 'track.set_mute', 'target': t1, 'args': {'value': True},
             'baseRev': ents[t1]['rev'], 'deadline': dl},
            {'id': 'e', 'action': 'transport.stop', 'target': None, 'args': {}, 'deadline': dl}]})
        res = c.wait_type('results')
        self.assertIsNotNone(res)
        got = dict((r['id'], r) for r in res['results'])
        self.assertEqual([r['id'] for r in res['results']], ['a', 'b', 'c', 'd', 'e'])
        for k in 'abce':
            self.assertTrue(got[k]['ok'], got[k])
        self.assertEqual(got['d']['error']['code'], 'CONFLICT')
        self.assertEqual(got['d']['error']['current'], {'value': False, 'rev': got['c']['rev']})
        # the events line with those revs arrived before the results line
        ev = [m for m in c.lines if m['type'] == 'events']
        revs = set(ch.get('rev') for m in ev for ch in m['changes'])
        # (one tick's changes to an entity merge: the line carries the song's last rev)
        self.assertTrue(ev and got['c']['rev'] in revs and got['e']['rev'] in revs)
        self.assertLess(c.seen.index('events'), c.seen.index('results'))
        self.assertEqual(snap['epoch'], ev[0]['epoch'])

    def test_stats_over_the_wire(self):
        c = self.t.connect()
        c.wait_type('hello')
        c.send({'type': 'commands', 'commands': [
            {'id': 'x', 'action': 'system.ping', 'target': None, 'args': {}, 'deadline': time.time() * 1000 + 5000}]})
        self.assertEqual(c.wait_type('results')['results'][0]['value'], {'epoch': self.t.inst.epoch})
        c.send({'type': 'stats_request'})
        st = c.wait_type('stats')['stats']
        self.assertEqual(st['pingsOnArrival'], 1)
        self.assertEqual(st['commandsExecuted'], 0)
        self.assertGreater(st['ticks'], 0)

    def test_ping_is_answered_on_arrival_without_a_tick(self):
        c = self.t.connect()
        c.wait_type('hello')
        ticks = self.t.inst.stats()['ticks']
        c.pump = None   # Live's main thread does not tick while we wait
        dl = time.time() * 1000 + 5000
        c.send({'type': 'commands', 'commands': [
            {'id': 'p', 'action': 'system.ping', 'target': 'song', 'args': {}, 'deadline': dl},
            {'id': 'late', 'action': 'system.ping', 'target': None, 'args': {}, 'deadline': 1},
            {'id': 'w', 'action': 'song.set_tempo', 'target': None, 'args': {'bpm': 99}, 'deadline': dl}]})
        first = c.wait_type('results')
        self.assertEqual(first['results'], [{'id': 'p', 'ok': True, 'rev': None, 'value': {'epoch': self.t.inst.epoch}}])
        self.assertEqual(self.t.inst.stats()['ticks'], ticks)
        # the rest keeps its way through the tick, in order: the late ping gets its TIMEOUT there
        c.pump = self.t.pump
        rest = c.wait_type('results')['results']
        self.assertEqual([r['id'] for r in rest], ['late', 'w'])
        self.assertEqual(rest[0]['error']['code'], 'TIMEOUT')
        self.assertTrue(rest[1]['ok'])

    def test_disconnect_closes_the_agent_and_frees_the_port_at_once(self):
        c = self.t.connect()
        c.wait_type('hello')
        port = self.t.inst.port
        self.t.inst.disconnect()
        self.assertTrue(poll(lambda: (c._read(), c.closed)[1], 5.0))
        self.t.world.new_song()
        old = os.environ.get('ROOMTONE_SCRIPT_PORT')
        inst2 = make_instance(self.t.world, port=port)
        self.addCleanup(inst2.disconnect)
        self.assertEqual(inst2.port, port)
        self.assertNotEqual(inst2.epoch, self.t.inst.epoch)
        c2 = TcpClient(port, self.t.pump)
        self.t.clients.append(c2)
        self.assertEqual(c2.wait_type('hello')['epoch'], inst2.epoch)

    def test_host_env_never_widens_beyond_loopback(self):
        old = os.environ.get('ROOMTONE_SCRIPT_HOST')
        os.environ['ROOMTONE_SCRIPT_HOST'] = '0.0.0.0'
        try:
            inst = make_instance(self.t.world)
        finally:
            if old is None:
                os.environ.pop('ROOMTONE_SCRIPT_HOST', None)
            else:
                os.environ['ROOMTONE_SCRIPT_HOST'] = old
        self.addCleanup(inst.disconnect)
        self.assertEqual(inst.server._listener.getsockname()[0], '127.0.0.1')


def _find_py37():
    for cand in (os.path.expanduser('~/.pyenv/versions/3.7.16/bin/python3.7'), shutil.which('python3.7')):
        if cand and os.path.exists(cand):
            try:
                out = subprocess.check_output([cand, '-c', 'import sys; print(sys.version_info[:2] == (3, 7))'],
                                              stderr=subprocess.DEVNULL, timeout=20)
            except (OSError, subprocess.SubprocessError):
                continue
            if out.strip() == b'True':
                return cand
    return None


PY37 = _find_py37()


class HelloFirstTest(unittest.TestCase):
    def test_hello_is_the_first_line_even_while_the_main_thread_is_sending(self):
        import threading
        from Roomtone.server import LineServer
        srv = LineServer('127.0.0.1', 0, lambda: {'type': 'hello', 'protocol': 1, 'epoch': 'e',
                                                   'live': {'version': 'x', 'simulated': True}})
        srv.start()
        self.addCleanup(srv.close)
        stop = threading.Event()

        def spam():
            while not stop.is_set():
                srv.send({'type': 'events', 'epoch': 'e', 'seq': 0, 'changes': []})
        t = threading.Thread(target=spam)
        t.start()
        try:
            for _ in range(30):
                c = TcpClient(srv.port)
                first = c.wait_for(lambda m: True)
                c.close()
                self.assertEqual(first['type'], 'hello')
        finally:
            stop.set()
            t.join()


class BindRetryTest(unittest.TestCase):
    def test_a_busy_port_is_retried_about_once_a_second(self):
        world = W.World()
        blocker = socket.socket()
        blocker.bind(('127.0.0.1', 0))
        blocker.listen(1)
        port = blocker.getsockname()[1]
        inst = make_instance(world, port=port)
        self.addCleanup(inst.disconnect)
        self.assertIsNone(inst.port)
        self.assertTrue([l for l in inst._c.logs if 'cannot listen' in l])
        now = [1000.0]
        inst.clock = lambda: now[0]
        inst._bind_at = now[0]
        blocker.close()
        now[0] += 0.5
        inst.tick()
        self.assertIsNone(inst.port, 'not before the retry interval')
        now[0] += 0.6
        inst.tick()
        self.assertEqual(inst.port, port)
        c = TcpClient(port, lambda: (world.advance(0.01), world.run_timers()))
        self.addCleanup(c.close)
        self.assertEqual(c.wait_type('hello')['epoch'], inst.epoch)


class AgentProofTest(unittest.TestCase):
    """H9 (docs/security.md): the port took any local client, which could drive Live while
    the agent was away and hold the slot against it. Only an agent that proves it holds the
    secret next to the script gets a line through."""

    def setUp(self):
        self.t = TcpHarness()

    def tearDown(self):
        self.t.close()

    def _client(self):
        c = TcpClient(self.t.port, self.t.pump)
        self.t.clients.append(c)
        return c

    def test_H9_a_client_without_the_proof_is_refused_and_changes_nothing(self):
        before = self.t.inst.song().tempo
        cmd = {'type': 'commands', 'commands': [{'id': 'x', 'action': 'song.set_tempo', 'target': None,
                                                 'args': {'bpm': 61}, 'deadline': time.time() * 1000 + 5000}]}
        for first in ([cmd],
                      [{'type': 'hello', 'protocol': protocol.PROTOCOL_VERSION, 'client': 'rogue'}, cmd],
                      [{'type': 'hello', 'protocol': protocol.PROTOCOL_VERSION, 'client': 'rogue', 'proof': 'f' * 64}, cmd]):
            c = self._client()
            hello = c.wait_type('hello')
            self.assertRegex(hello['nonce'], r'^[0-9a-f]{32}$')
            for line in first:
                c.send(line)
            err = c.wait_type('error')
            self.assertEqual(err['error']['code'], 'UNAUTHENTICATED')
            self.assertTrue(c.wait_closed())
            self.assertFalse(any(t in ('results', 'events', 'snapshot') for t in c.seen))
        for _ in range(20):
            self.t.pump()
        self.assertEqual(self.t.inst.song().tempo, before)

    def test_H9_a_client_that_never_proves_itself_does_not_hold_the_slot(self):
        rogue = self._client()
        rogue.wait_type('hello')
        self.assertFalse(self.t.inst.server.connected)   # nothing is sent to it
        agent = self.t.connect()
        agent.wait_type('hello')
        agent.send({'type': 'ping', 't': 5})
        self.assertEqual(agent.wait_type('pong')['t'], 5)
        self.assertTrue(rogue.wait_closed())
        # and once the agent has proved itself, a stranger is refused, not let in
        late = self._client()
        self.assertEqual(late.wait_type('error')['error']['code'], 'AGENT_CONFLICT')

    def test_H9_an_unproven_connection_is_closed_after_the_auth_timeout(self):
        from Roomtone import server
        old = server.AUTH_TIMEOUT_S
        server.AUTH_TIMEOUT_S = 0.2
        self.addCleanup(setattr, server, 'AUTH_TIMEOUT_S', old)
        idle = self._client()
        idle.wait_type('hello')
        self.assertTrue(idle.wait_closed(timeout=5.0))

    def test_H9_the_secret_file_is_made_owner_only_and_kept(self):
        from Roomtone import agent_auth
        path = agent_auth.secret_path()
        first = agent_auth.load_or_create(path)
        if os.name != 'nt':
            os.chmod(path, 0o644)
        self.assertEqual(agent_auth.load_or_create(path), first)
        if os.name != 'nt':
            self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        self.assertTrue(agent_auth.proves(first, 'n', agent_auth.proof(first, 'n')))
        self.assertFalse(agent_auth.proves(first, 'n', agent_auth.proof(first, 'm')))
        self.assertFalse(agent_auth.proves(None, 'n', agent_auth.proof(first, 'n')))


class RunnerTest(unittest.TestCase):
    """The simulator runner loads the package as Live would and speaks the wire."""

    def test_runner_ready_line_and_hello_under_each_python_here(self):
        # This interpreter always; Python 3.7 as well (Live 11 to 12.0) where one is installed.
        for python in [sys.executable] + ([PY37] if PY37 else []):
            out = subprocess.check_output([python, '-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'])
            with self.subTest(python=python):
                self._runner_round_trip(python, out.decode().strip())

    def _runner_round_trip(self, python, python_version):
        runner = os.path.join(simpath.SIM, 'run.py')
        secret_file = os.path.join(tempfile.mkdtemp(prefix='roomtone-runner-'), 'sim.secret')
        proc = subprocess.Popen([python, runner, '--port', '0', '--tick-hz', '100',
                                 '--live-version', '11.0.0', '--secret-file', secret_file],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.addCleanup(proc.stdout.close)
        self.addCleanup(proc.stdin.close)
        self.addCleanup(proc.wait, 10)
        self.addCleanup(proc.terminate)
        line = proc.stdout.readline().decode('utf-8')
        m = re.match(r'^roomtone-sim ready port=(\d+) live=11\.0\.0$', line.strip())
        self.assertIsNotNone(m, line)
        c = TcpClient(int(m.group(1)))
        self.addCleanup(c.close)
        hello = c.wait_type('hello', timeout=10)
        self.assertEqual(hello['live'], {'version': '11.0.0', 'simulated': True, 'python': python_version})
        from Roomtone import agent_auth
        self.assertEqual(stat.S_IMODE(os.stat(secret_file).st_mode), 0o600)
        c.send({'type': 'hello', 'protocol': 1, 'client': 'test',
                'proof': agent_auth.proof(agent_auth.load_or_create(secret_file), hello['nonce'])})
        c.send({'type': 'commands', 'commands': [
            {'id': 'p', 'action': 'song.set_tempo', 'target': None, 'args': {'bpm': 99},
             'deadline': time.time() * 1000 + 5000}]})
        res = c.wait_type('results', timeout=10)
        self.assertEqual(res['results'][0]['value'], 99.0)


if __name__ == '__main__':
    unittest.main()
