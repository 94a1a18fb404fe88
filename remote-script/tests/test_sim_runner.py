"""The simulator runner (sim/run.py): ready line, stdin control channel, new set, shutdown."""
import contextlib
import io
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

from . import simpath

try:
    import queue
except ImportError:  # pragma: no cover
    import Queue as queue

RUN = os.path.join(simpath.SIM, 'run.py')
FIXTURES = os.path.join(simpath.HERE, 'fixtures')
READY_TIMEOUT = 20.0


class SimProcess(object):
    def __init__(self, *extra, **kw):
        args = [sys.executable, RUN, '--port', '0', '--tick-hz', '200'] + list(extra)
        if kw.get('stand_in', True):
            args += ['--script-package', 'RoomtoneStandIn', '--script-path', FIXTURES]
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
                                     cwd=simpath.ROOT)
        self.lines = queue.Queue()
        self.stdout_lines = []
        t = threading.Thread(target=self._read)
        t.daemon = True
        t.start()

    def _read(self):
        for raw in iter(self.proc.stdout.readline, b''):
            line = raw.decode('utf-8').rstrip('\n')
            self.stdout_lines.append(line)
            self.lines.put(line)
        self.lines.put(None)

    def line(self, timeout=READY_TIMEOUT):
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError('no line from the simulator within %.0f s; stderr:\n%s' % (timeout, self.err()))

    def ready(self):
        line = self.line()
        if line is None or not line.startswith('roomtone-sim ready '):
            raise AssertionError('expected a ready line, got %r; stderr:\n%s' % (line, self.err()))
        fields = dict(kv.split('=', 1) for kv in line.split()[2:])
        return int(fields['port']), fields['live'], line

    def send_raw(self, text):
        self.proc.stdin.write((text + '\n').encode('utf-8'))
        self.proc.stdin.flush()

    def ask(self, **msg):
        self.send_raw(json.dumps(msg))
        line = self.line()
        self.last = line
        return json.loads(line)

    def err(self):
        self.stderr.seek(0)
        return self.stderr.read().decode('utf-8', 'replace')

    def wait(self, timeout=READY_TIMEOUT):
        return self.proc.wait(timeout=timeout)

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except Exception:
                pass
        self.stderr.close()


def connect(port, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            s = socket.create_connection(('127.0.0.1', port), timeout=timeout)
            return s
        except OSError:
            if time.monotonic() > deadline:
                raise


def read_line(sock, timeout=10.0):
    sock.settimeout(timeout)
    buf = b''
    while not buf.endswith(b'\n'):
        chunk = sock.recv(1)
        if not chunk:
            break
        buf += chunk
    return buf.decode('utf-8').rstrip('\n')


class RunnerWithStandIn(unittest.TestCase):
    def setUp(self):
        self.sim = SimProcess()
        self.port, self.live, self.ready_line = self.sim.ready()

    def tearDown(self):
        self.sim.close()

    def test_ready_line(self):
        self.assertRegex(self.ready_line, r'^roomtone-sim ready port=\d+ live=12\.3\.6$')
        self.assertGreater(self.port, 0)
        self.assertEqual(self.live, '12.3.6')

    def test_eval_and_exec(self):
        self.assertEqual(self.sim.ask(op='eval', expr='song.tempo'), {'op': 'result', 'ok': True, 'value': 120.0})
        r = self.sim.ask(op='exec', code='song.tracks[1].mixer_device.volume.value = 0.3')
        self.assertEqual(r, {'op': 'result', 'ok': True})
        r = self.sim.ask(op='eval', expr='song.tracks[1].mixer_device.volume.value')
        self.assertEqual(r['value'], 0.3)
        r = self.sim.ask(op='eval', expr='[t.name for t in song.tracks][:3]')
        self.assertEqual(r['value'], ['Rhythm', 'Drums', 'Perc'])
        r = self.sim.ask(op='eval', expr='song.tracks[1].mixer_device', id=7)
        self.assertEqual(r['id'], 7)
        self.assertIn('MixerDevice', r['value'])        # not JSON: its repr
        r = self.sim.ask(op='eval', expr='Live.Application.get_application() == app')
        self.assertTrue(r['value'])
        r = self.sim.ask(op='eval', expr='float("-inf")')
        self.assertIsNone(r['value'])

    def test_errors(self):
        r = self.sim.ask(op='exec', code='song.tempo = ')
        self.assertFalse(r['ok'])
        self.assertIn('SyntaxError', r['error'])
        r = self.sim.ask(op='exec', code='song.master_track.mute = True')
        self.assertFalse(r['ok'])
        self.assertIn('RuntimeError', r['error'])
        r = self.sim.ask(op='frobnicate')
        self.assertFalse(r['ok'])
        self.sim.send_raw('this is not json')
        r = json.loads(self.sim.line())
        self.assertFalse(r['ok'])
        self.assertEqual(self.sim.ask(op='eval', expr='1 + 1')['value'], 2)

    def test_script_runs_with_the_environment_and_the_loop(self):
        s = connect(self.port)
        try:
            self.assertEqual(read_line(s), 'hello sim=1 tracks=10')   # sent from update_display
            self.assertTrue(self.sim.ask(op='exec', code='song.tempo = 99')['ok'])
            self.assertEqual(read_line(s), 'tempo 99')                 # song listener, synchronous
        finally:
            s.close()
        r = self.sim.ask(op='eval', expr='instance.displays > 0 and world.clock > 0')
        self.assertTrue(r['value'])

    def test_transport_runs_in_real_time(self):
        self.assertTrue(self.sim.ask(op='exec', code='song.start_playing()')['ok'])
        deadline = time.monotonic() + 10
        t = 0.0
        while time.monotonic() < deadline:
            t = self.sim.ask(op='eval', expr='song.current_song_time')['value']
            if t > 0.2:
                break
        self.assertGreater(t, 0.2)

    def test_stall_blocks_the_main_thread_while_the_transport_runs_on(self):
        self.assertTrue(self.sim.ask(op='exec', code='song.start_playing()')['ok'])
        t0 = self.sim.ask(op='eval', expr='song.current_song_time')['value']
        started = time.monotonic()
        self.sim.send_raw(json.dumps({'op': 'stall', 'ms': 600}) + '\n' + json.dumps({'op': 'eval', 'expr': 'song.current_song_time'}))
        self.assertEqual(json.loads(self.sim.line()), {'op': 'result', 'ok': True})
        t1 = json.loads(self.sim.line())['value']
        self.assertGreaterEqual(time.monotonic() - started, 0.55)     # the eval waited for the stall
        self.assertGreaterEqual(t1 - t0, 1.1)                         # 600 ms at 120 BPM, not lost
        r = self.sim.ask(op='stall', ms=-1)
        self.assertFalse(r['ok'])

    def test_new_set_rebinds_the_same_port(self):
        self.assertTrue(self.sim.ask(op='exec', code='song.tempo = 77; song.tracks[0].name = "Old"')['ok'])
        self.assertTrue(self.sim.ask(op='exec', code='world.old_song_for_test = song')['ok'])
        self.sim.send_raw(json.dumps({'op': 'new_set'}))
        port, live, _ = self.sim.ready()
        self.assertEqual(port, self.port)
        self.assertEqual(live, '12.3.6')
        self.assertEqual(self.sim.ask(op='eval', expr='song.tempo')['value'], 120.0)
        self.assertEqual(self.sim.ask(op='eval', expr='song.tracks[0].name')['value'], 'Rhythm')
        # every object of the old set is gone (Live may hand its addresses to the new one)
        self.assertIs(self.sim.ask(op='eval', expr='world.old_song_for_test == None')['value'], True)
        self.assertIn('stand-in: disconnected', self.sim.err())
        s = connect(port)
        try:
            self.assertEqual(read_line(s), 'hello sim=1 tracks=10')
        finally:
            s.close()

    def test_quit(self):
        r = self.sim.ask(op='quit')
        self.assertTrue(r['ok'])
        self.assertEqual(self.sim.wait(), 0)
        self.assertIn('stand-in: disconnected', self.sim.err())

    def test_stdout_carries_only_protocol_lines(self):
        self.sim.ask(op='exec', code='print("hello from exec")')
        self.assertEqual(self.sim.ask(op='quit')['ok'], True)
        self.sim.wait()
        self.assertIn('stray print must not reach', self.sim.err())
        self.assertIn('hello from exec', self.sim.err())
        for line in self.sim.stdout_lines:
            self.assertTrue(line.startswith('roomtone-sim ready ') or json.loads(line)['op'] == 'result', line)

    def test_sigterm_disconnects_and_exits_0(self):
        self.sim.proc.send_signal(signal.SIGTERM)
        self.assertEqual(self.sim.wait(), 0)
        self.assertIn('stand-in: disconnected', self.sim.err())

    def test_sigint_disconnects_and_exits_0(self):
        self.sim.proc.send_signal(signal.SIGINT)
        self.assertEqual(self.sim.wait(), 0)
        self.assertIn('stand-in: disconnected', self.sim.err())

    def test_eof_on_stdin_does_not_quit(self):
        self.sim.proc.stdin.close()
        # still serving: a new client is greeted from the running loop
        s = connect(self.port)
        try:
            self.assertEqual(read_line(s), 'hello sim=1 tracks=10')
        finally:
            s.close()
        self.assertIsNone(self.sim.proc.poll())
        self.sim.proc.send_signal(signal.SIGTERM)
        self.assertEqual(self.sim.wait(), 0)


class RunnerFollowsItsParent(unittest.TestCase):
    def test_exit_on_stdin_eof_quits_cleanly_when_stdin_closes(self):
        # The launcher passes --exit-on-stdin-eof: when it dies, however it dies, the OS
        # closes this pipe and the simulator must not outlive it.
        sim = SimProcess('--exit-on-stdin-eof')
        try:
            sim.ready()
            self.assertIsNone(sim.proc.poll())
            sim.proc.stdin.close()
            self.assertEqual(sim.wait(), 0)
            self.assertIn('stand-in: disconnected', sim.err())
        finally:
            sim.close()


class RunnerVersions(unittest.TestCase):
    def test_live_version_flag(self):
        sim = SimProcess('--live-version', '11.0.0')
        try:
            port, live, _ = sim.ready()
            self.assertEqual(live, '11.0.0')
            self.assertEqual(sim.ask(op='eval', expr='app.get_major_version()')['value'], 11)
            self.assertEqual(sim.ask(op='eval', expr='hasattr(Live.Track.Track, "create_midi_clip")')['value'],
                             False)
            self.assertEqual(sim.ask(op='eval', expr='__import__("os").environ["ROOMTONE_SIM"]')['value'], '1')
            self.assertEqual(sim.ask(op='eval', expr='__import__("os").environ["ROOMTONE_SCRIPT_PORT"]')['value'],
                             str(port))
        finally:
            sim.close()

    def test_fresh_wrappers_by_default_and_the_opt_out(self):
        sim = SimProcess()
        try:
            sim.ready()
            self.assertEqual(sim.ask(op='eval', expr='song.tracks[0] is song.tracks[0]')['value'], False)
            self.assertEqual(sim.ask(op='eval', expr='song.tracks[0] == song.tracks[0]')['value'], True)
        finally:
            sim.close()
        sim = SimProcess('--no-fresh-wrappers')
        try:
            sim.ready()
            self.assertEqual(sim.ask(op='eval', expr='song.tracks[0] is song.tracks[0]')['value'], True)
        finally:
            sim.close()

    def test_bad_flags(self):
        p = subprocess.Popen([sys.executable, RUN, '--live-version', '10.1.0'], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, stdin=subprocess.PIPE)
        out, err = p.communicate(timeout=20)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn(b'live-version', err)


class RunnerWithTheRealScript(unittest.TestCase):
    def test_real_roomtone_script_starts_in_the_sim(self):
        if not os.path.exists(os.path.join(simpath.ROOT, 'Roomtone', '__init__.py')):
            self.skipTest('remote-script/Roomtone not present')
        sim = SimProcess(stand_in=False)
        try:
            port, live, _ = sim.ready()
            self.assertEqual(sim.ask(op='eval', expr='instance.port')['value'], port)
            s = connect(port)
            s.close()
            self.assertTrue(sim.ask(op='quit')['ok'])
            self.assertEqual(sim.wait(), 0)
        finally:
            sim.close()


    def test_ready_line_waits_until_the_script_can_bind(self):
        if not os.path.exists(os.path.join(simpath.ROOT, 'Roomtone', '__init__.py')):
            self.skipTest('remote-script/Roomtone not present')
        blocker = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        blocker.bind(('127.0.0.1', 0))
        blocker.listen(1)
        port = blocker.getsockname()[1]
        sim = SimProcess('--port', str(port), stand_in=False)
        try:
            deadline = time.monotonic() + READY_TIMEOUT
            while 'waiting for the script to listen' not in sim.err():     # bounded poll
                self.assertLess(time.monotonic(), deadline, sim.err())
                self.assertIsNone(sim.proc.poll(), sim.err())
                try:
                    sim.proc.wait(timeout=0.05)
                except subprocess.TimeoutExpired:
                    pass
            self.assertTrue(sim.lines.empty())         # no ready line while the port is taken
            blocker.close()
            got, live, _ = sim.ready()                 # the script's bind retry gets it
            self.assertEqual(got, port)
        finally:
            blocker.close()
            sim.close()


class InProcessSim(unittest.TestCase):
    """Sim driven directly: update_display every ~100 ms of simulated time."""

    def test_update_display_cadence_and_new_set(self):
        if FIXTURES not in sys.path:
            sys.path.insert(0, FIXTURES)
        from livesim.runner import Sim
        ready = []
        saved_env = dict(os.environ)
        noise = io.StringIO()
        stack = contextlib.ExitStack()
        stack.enter_context(contextlib.redirect_stderr(noise))
        stack.enter_context(contextlib.redirect_stdout(noise))
        sim = Sim('12.0.5', seed=2, package='RoomtoneStandIn', port=0, emit=ready.append)
        sim.start()
        try:
            self.assertEqual(len(ready), 1)
            self.assertRegex(ready[0], r'^roomtone-sim ready port=\d+ live=12\.0\.5$')
            for _ in range(100):
                sim.tick(0.01)
            self.assertIn(sim.instance.displays, (10, 11))
            self.assertAlmostEqual(sim.world.clock, 1.0, places=6)
            first = sim.instance
            port = sim.port
            sim.new_set()
            self.assertNotEqual(sim.instance, first)
            self.assertEqual(sim.port, port)
            self.assertEqual(len(ready), 2)
            self.assertEqual(ready[0], ready[1])
            self.assertIn('stand-in: disconnected', noise.getvalue())
        finally:
            sim.stop()
            stack.close()
            os.environ.clear()
            os.environ.update(saved_env)


if __name__ == '__main__':
    unittest.main()
