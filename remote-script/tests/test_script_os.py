"""The studio machine's operating systems: the port in a file next to the script,
Windows' exclusive bind and its fallback, logs that do not flood Live's Log.txt."""
import errno
import os
import shutil
import socket
import tempfile
import unittest

from . import simpath  # noqa: F401  (sys.path)

from Roomtone import settings, logbook as L
from Roomtone.server import bind_listener, Backoff


class PortSettingTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)

    def write(self, text):
        with open(os.path.join(self.dir, settings.PORT_FILE), 'w') as f:
            f.write(text)

    def test_without_file_or_variable_the_default(self):
        self.assertEqual(settings.port_setting({}, self.dir), (47800, 'default', None))

    def test_a_port_file_next_to_the_script_is_read_live_from_the_dock_sees_no_variables(self):
        self.write('# the studio\'s port\n47811\n')
        port, where, problem = settings.port_setting({}, self.dir)
        self.assertEqual(port, 47811)
        self.assertTrue(where.endswith(settings.PORT_FILE))
        self.assertIsNone(problem)

    def test_the_environment_wins_over_the_file(self):
        self.write('47811')
        self.assertEqual(settings.port_setting({'ROOMTONE_SCRIPT_PORT': '47900'}, self.dir)[0], 47900)

    def test_a_bad_file_or_variable_falls_back_and_says_why(self):
        for text in ('no port here', '70000', '', '-5'):
            self.write(text)
            port, where, problem = settings.port_setting({}, self.dir)
            self.assertEqual(port, 47800, text)
            self.assertIn('port.txt', problem)
        port, where, problem = settings.port_setting({'ROOMTONE_SCRIPT_PORT': 'abc'}, self.dir)
        self.assertEqual(port, 47800)
        self.assertIn('ROOMTONE_SCRIPT_PORT', problem)

    def test_the_script_logs_a_bad_port_file_once_and_shows_it_in_the_status_bar(self):
        from livesim import world as W
        from .test_script_harness import CInstance
        from Roomtone.script import RoomtoneScript
        self.write('port forty')
        old = settings.HERE
        settings.HERE = self.dir
        saved = os.environ.pop('ROOMTONE_SCRIPT_PORT', None)
        c = CInstance(W.World())
        try:
            inst = RoomtoneScript(c)
            self.addCleanup(inst.disconnect)
            self.assertEqual(inst._want_port, 47800)
        finally:
            settings.HERE = old
            if saved is not None:
                os.environ['ROOMTONE_SCRIPT_PORT'] = saved
        self.assertEqual(len([l for l in c.logs if 'holds no port number' in l]), 1)
        self.assertTrue(any('holds no port number' in m for m in c.messages))


class FakeSocket(object):
    """A socket whose bind fails while the port is 'held exclusively' by an earlier one."""
    bound = []
    held = True
    EXCL = 0x7f00

    def __init__(self, family, kind):
        self.options = {}
        self.closed = False

    def setsockopt(self, level, option, value):
        self.options[option] = value

    def bind(self, addr):
        if FakeSocket.held and (self.options.get(FakeSocket.EXCL) or FakeSocket.held == 'always'):
            err = OSError(errno.EADDRINUSE, 'address in use')
            raise err
        FakeSocket.bound.append((addr, dict(self.options)))

    def listen(self, n):
        pass

    def setblocking(self, flag):
        pass

    def close(self):
        self.closed = True


class WindowsBindTest(unittest.TestCase):
    def setUp(self):
        FakeSocket.bound = []
        self._had = hasattr(socket, 'SO_EXCLUSIVEADDRUSE')
        self._old = getattr(socket, 'SO_EXCLUSIVEADDRUSE', None)
        socket.SO_EXCLUSIVEADDRUSE = FakeSocket.EXCL

    def tearDown(self):
        if self._had:
            socket.SO_EXCLUSIVEADDRUSE = self._old
        else:
            del socket.SO_EXCLUSIVEADDRUSE

    def test_exclusive_first(self):
        FakeSocket.held = False
        sock, mode = bind_listener('127.0.0.1', 47800, platform='nt', make_socket=FakeSocket)
        self.assertEqual(mode, 'exclusive')
        self.assertEqual(FakeSocket.bound[0][1], {FakeSocket.EXCL: 1})

    def test_a_port_still_held_after_a_set_change_falls_back_to_a_shared_bind(self):
        FakeSocket.held = True
        sock, mode = bind_listener('127.0.0.1', 47800, platform='nt', make_socket=FakeSocket)
        self.assertEqual(mode, 'shared')
        self.assertEqual(FakeSocket.bound[0][1], {}, 'neither exclusive nor SO_REUSEADDR (another program could steal it)')

    def test_a_port_busy_either_way_raises_for_the_script_to_retry_with_backoff(self):
        FakeSocket.held = 'always'
        with self.assertRaises(OSError):
            bind_listener('127.0.0.1', 47800, platform='nt', make_socket=FakeSocket)
        b = Backoff()
        self.assertEqual([b.next() for _ in range(7)], [0.25, 0.5, 1.0, 2.0, 4.0, 5.0, 5.0])
        b.reset()
        self.assertEqual(b.next(), 0.25)

    def test_posix_reuses_the_address(self):
        FakeSocket.held = False
        sock, mode = bind_listener('127.0.0.1', 47800, platform='posix', make_socket=FakeSocket)
        self.assertEqual(mode, 'reuse')
        self.assertIn(socket.SO_REUSEADDR, FakeSocket.bound[0][1])

    def test_the_agents_connection_is_reset_on_close_so_no_time_wait_holds_the_port(self):
        from Roomtone.server import LineServer
        s = LineServer('127.0.0.1', 0, lambda: {'type': 'hello'})
        s.start()
        c = socket.create_connection(('127.0.0.1', s.port))
        self.addCleanup(c.close)
        c.settimeout(5)
        c.recv(100)   # the hello
        s.close()
        with self.assertRaises((ConnectionResetError, ConnectionAbortedError)):
            for _ in range(10):
                if not c.recv(100):
                    break
            raise AssertionError('closed gracefully, not reset')
        again = LineServer('127.0.0.1', s.port, lambda: {'type': 'hello'})
        again.close()


class LogbookTest(unittest.TestCase):
    class C(object):
        def __init__(self):
            self.logs = []
            self.messages = []

        def log_message(self, m):
            self.logs.append(m)

        def show_message(self, m):
            self.messages.append(m)

    def test_a_repeated_problem_is_logged_once_then_at_a_bounded_rate_with_its_count(self):
        c = self.C()
        now = [0.0]
        book = L.Logbook(c, clock=lambda: now[0])
        for _ in range(100):
            book.problem('bind', 'cannot listen', status=True)
            now[0] += 0.1
        self.assertEqual(c.logs, ['cannot listen'])
        self.assertEqual(c.messages, ['cannot listen'])
        now[0] += L.REPEAT_S
        book.problem('bind', 'cannot listen', status=True)
        self.assertEqual(c.logs[-1], 'cannot listen (99 more since)')
        book.resolved('bind', 'listening again')
        book.problem('bind', 'cannot listen')
        self.assertEqual(c.logs[-2:], ['listening again', 'cannot listen'])

    def test_tracebacks_are_rate_limited(self):
        c = self.C()
        now = [0.0]
        book = L.Logbook(c, clock=lambda: now[0])
        for _ in range(50):
            try:
                raise ValueError('boom')
            except ValueError:
                book.traceback('tick failed')
        full = [l for l in c.logs if 'Traceback' in l]
        self.assertEqual(len(full), L.TRACEBACKS)
        self.assertEqual(len(c.logs), L.TRACEBACKS + 1, 'then one summary line')
        now[0] += L.TRACEBACK_WINDOW_S + 1
        try:
            raise ValueError('boom')
        except ValueError:
            book.traceback('tick failed')
        self.assertIn('tracebacks left out before this one', c.logs[-1])

    def test_after_detach_nothing_reaches_live(self):
        c = self.C()
        book = L.Logbook(c)
        book.detach()
        book.note('x')
        book.status('y')
        self.assertEqual((c.logs, c.messages), ([], []))


if __name__ == '__main__':
    unittest.main()
