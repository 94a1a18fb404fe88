"""The socket side of the script: one thread that accepts, reads and writes, nothing else.

It never touches Live. It frames incoming bytes into lines (with the 8 MiB limit),
parses the JSON, answers the lines that need no Live (a bad line, the agent's hello)
and pushes the rest onto `inbound` for the main thread's tick. The main thread hands
finished lines to `send()`, and this thread writes them out.

One agent at a time, and only one that proves itself (agent_auth.py, H9): the hello
carries a nonce, and until the agent's hello carries its proof nothing but errors is
sent and no line reaches Live. A connection that has not proved itself within
AUTH_TIMEOUT_S is closed, and it never holds the slot: a newer connection replaces it.
A second connection while a proven agent is alive is refused with an AGENT_CONFLICT
error line and closed: the agent that holds the set keeps it. If the first connection
is already dead (its peer went away but we have not read the EOF yet), the new one
replaces it, so a restarted agent gets in at once.
"""
from __future__ import absolute_import

import collections
import json
import os
import errno
import selectors
import socket
import struct
import threading
import time

from . import agent_auth
from . import protocol

_RECV_SIZE = 256 * 1024
_OUT_LIMIT = 64 * 1024 * 1024  # an agent that stops reading is dropped past this
_COALESCE = 256 * 1024
AUTH_TIMEOUT_S = 5.0


def _no_constant(name):
    raise ValueError('%s is not JSON' % name)   # NaN, Infinity, -Infinity


# Windows: WSAEACCES (a port held exclusively by another socket) and WSAEADDRINUSE.
PORT_HELD = frozenset((errno.EADDRINUSE, errno.EACCES, 10013, 10048))


def bind_listener(host, port, platform=None, make_socket=None):
    """A listening, non-blocking socket on (host, port) and how it was bound.

    POSIX: SO_REUSEADDR, so a port whose last connection is in TIME_WAIT binds again.
    Windows: first with SO_EXCLUSIVEADDRUSE (without it another program could bind the
    same port and take the agent's connections); when the port is still held (an earlier
    instance's connections linger after a set change), again without it, as libuv does,
    so the agent is not kept out. A port that stays busy raises OSError; the script
    retries with backoff."""
    platform = os.name if platform is None else platform
    make_socket = make_socket or socket.socket
    if platform == 'nt':
        excl = getattr(socket, 'SO_EXCLUSIVEADDRUSE', None)
        attempts = ([('exclusive', excl)] if excl is not None else []) + [('shared', None)]
    else:
        attempts = [('reuse', socket.SO_REUSEADDR)]
    last = None
    for mode, option in attempts:
        sock = make_socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            if option is not None:
                sock.setsockopt(socket.SOL_SOCKET, option, 1)
            sock.bind((host, port))
            sock.listen(4)
            sock.setblocking(False)
            return sock, mode
        except OSError as exc:
            last = exc
            try:
                sock.close()
            except Exception:
                pass
            if getattr(exc, 'errno', None) not in PORT_HELD and getattr(exc, 'winerror', None) not in PORT_HELD:
                raise
        except Exception:
            try:
                sock.close()
            except Exception:
                pass
            raise
    raise last


class Backoff(object):
    """Delays before the next attempt: 0.25 s doubling to 5 s; reset() after a success."""

    def __init__(self, first=0.25, most=5.0):
        self.first = first
        self.most = most
        self.delay = first

    def next(self):
        d = self.delay
        self.delay = min(self.most, self.delay * 2)
        return d

    def reset(self):
        self.delay = self.first


def _no_hello():
    raise RuntimeError('the script has closed')


class LineServer(object):
    def __init__(self, host, port, hello_factory, line_limit=protocol.SCRIPT_LINE_LIMIT, on_arrival=None,
                 secret=None):
        self.host = host
        self._secret = secret                # agent_auth: None refuses every agent
        self._nonce = None
        self._authed = False
        self._auth_deadline = 0.0
        # (commands list) -> (results to send now, commands left for the main thread).
        # Runs on this thread: it must not touch Live.
        self._on_arrival = on_arrival
        self.line_limit = line_limit
        self._hello_factory = hello_factory
        self.inbound = collections.deque()   # (generation, dict) for the main thread
        self.logs = collections.deque()      # messages for the main thread to log
        self._lock = threading.Lock()
        self._out = []                       # bytes chunks waiting for the socket
        self._out_off = 0                    # bytes of _out[0] already written
        self._out_size = 0
        self._conn = None
        self._gen = 0                        # bumped on every accepted connection
        self._close_after_flush = False
        self._stopping = False
        self._thread = None
        self.client = None
        self.lines_in = 0
        self.bytes_out = 0
        self._listener = self._bind(host, port)
        self.port = self._listener.getsockname()[1]
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)

    # ---- main thread API -------------------------------------------------

    @staticmethod
    def _bind(host, port):
        sock, mode = bind_listener(host, port)
        return sock

    def start(self):
        self._thread = threading.Thread(target=self._run, name='Roomtone-socket')
        self._thread.daemon = True
        self._thread.start()

    @property
    def connected(self):
        return self._conn is not None and self._authed and not self._close_after_flush

    @property
    def generation(self):
        return self._gen

    def send(self, obj, gen=None, before_proof=False):
        """Queue one line for the current connection (or only for `gen`).

        Until the agent has proved itself only this thread's own answers (errors) go out.
        """
        data = obj if isinstance(obj, bytes) else protocol.encode_line(obj)
        with self._lock:
            if self._conn is None or self._close_after_flush:
                return False
            if not self._authed and not before_proof:
                return False
            if gen is not None and gen != self._gen:
                return False
            if self._out_size + len(data) > _OUT_LIMIT:
                self._log('Roomtone: agent is not reading (%d bytes queued); dropping it' % self._out_size,
                          'agent-slow')
                self._close_after_flush = True
                self._out = []
                self._out_off = 0
                self._out_size = 0
                self._wake()
                return False
            self._out.append(data)
            self._out_size += len(data)
        self._wake()
        return True

    def forget_owner(self):
        """After close(): drops the script's callbacks (bound methods: reference cycles)."""
        self._on_arrival = None
        self._hello_factory = _no_hello

    def close(self, timeout=2.0):
        self._stopping = True
        self._wake()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        # The script is going away (a set change re-creates it): reset the agent's
        # connection instead of closing it gracefully, so no TIME_WAIT is left on our
        # port that would keep the next instance's listener out (on Windows above all).
        self._drop_conn(reset=True)
        for s in (self._listener, self._wake_r, self._wake_w):
            try:
                s.close()
            except Exception:
                pass

    # ---- socket thread ---------------------------------------------------

    def _wake(self):
        try:
            self._wake_w.send(b'x')
        except Exception:
            pass  # the pipe is full (already woken) or closed

    def _log(self, msg, key=None):
        # (key, message): the main thread logs a key once, then at a bounded rate
        self.logs.append((key or msg, msg))

    def _run(self):
        sel = selectors.DefaultSelector()
        try:
            sel.register(self._listener, selectors.EVENT_READ, 'accept')
            sel.register(self._wake_r, selectors.EVENT_READ, 'wake')
            registered = None      # the conn socket currently registered
            reg_events = 0
            buf = bytearray()
            discarding = False
            while not self._stopping:
                conn = self._conn
                if conn is not registered:
                    if registered is not None:
                        try:
                            sel.unregister(registered)
                        except Exception:
                            pass
                    registered = None
                    buf = bytearray()
                    discarding = False
                    if conn is not None:
                        sel.register(conn, selectors.EVENT_READ, 'conn')
                        registered = conn
                        reg_events = selectors.EVENT_READ
                if registered is not None:
                    want = selectors.EVENT_READ | (selectors.EVENT_WRITE if self._out else 0)
                    if want != reg_events:
                        sel.modify(registered, want, 'conn')
                        reg_events = want
                for key, mask in sel.select(1.0):
                    if self._stopping:
                        break
                    tag = key.data
                    if tag == 'wake':
                        try:
                            while self._wake_r.recv(4096):
                                pass
                        except (BlockingIOError, InterruptedError):
                            pass
                        except OSError:
                            pass
                    elif tag == 'accept':
                        self._accept()
                    elif tag == 'conn' and key.fileobj is self._conn:
                        if mask & selectors.EVENT_READ:
                            ok, buf, discarding = self._read(buf, discarding)
                            if not ok:
                                self._drop_conn()
                                continue
                        if mask & selectors.EVENT_WRITE or self._out:
                            if not self._flush():
                                self._drop_conn()
                                continue
                if self._conn is not None and self._out:
                    if not self._flush():
                        self._drop_conn()
                if self._close_after_flush and not self._out:
                    self._drop_conn()
                if self._conn is not None and not self._authed and time.time() > self._auth_deadline:
                    self._log('Roomtone: a client connected but did not prove it is the agent; closed')
                    self._drop_conn()
        except Exception as exc:  # never die silently
            self._log('Roomtone: socket thread stopped: %r' % (exc,))
        finally:
            try:
                sel.close()
            except Exception:
                pass

    def _accept(self):
        while True:
            try:
                sock, addr = self._listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                self._log('Roomtone: accept failed: %r' % (exc,))
                return
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
            if self._conn is not None and self._authed and self._conn_alive():
                self._refuse(sock, protocol.AGENT_CONFLICT,
                             'another agent is connected to this Live set; one at a time')
                continue
            if self._conn is not None:
                self._drop_conn()
            sock.setblocking(False)
            nonce = agent_auth.new_nonce()
            try:
                hello = protocol.encode_line(dict(self._hello_factory(), nonce=nonce))
            except Exception as exc:
                self._log('Roomtone: hello failed: %r' % (exc,))
                self._refuse(sock, protocol.INTERNAL, 'the script could not say hello')
                continue
            with self._lock:
                # the hello is queued before the connection becomes visible to send():
                # it is always the first line the agent reads
                self._gen += 1
                self._conn = sock
                self._nonce = nonce
                self._authed = False
                self._auth_deadline = time.time() + AUTH_TIMEOUT_S
                self._close_after_flush = False
                self._out = [hello]
                self._out_off = 0
                self._out_size = len(hello)
                self.client = None
            self._wake()
            self._log('Roomtone: agent connected from %s:%s' % addr[:2], 'agent-connected')

    def _conn_alive(self):
        try:
            data = self._conn.recv(1, socket.MSG_PEEK)
        except (BlockingIOError, InterruptedError):
            return True
        except OSError:
            return False
        return bool(data)

    @staticmethod
    def _refuse(sock, code, message):
        try:
            sock.settimeout(0.2)
            sock.sendall(protocol.encode_line(protocol.error_line(code, message)))
        except Exception:
            pass
        try:
            sock.close()
        except Exception:
            pass

    def _drop_conn(self, reset=False):
        with self._lock:
            conn = self._conn
            self._conn = None
            self._out = []
            self._out_off = 0
            self._out_size = 0
            self._close_after_flush = False
            self._authed = False
            self.client = None
        if conn is not None:
            if reset:
                try:
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
                except Exception:
                    pass
            try:
                conn.close()
            except Exception:
                pass

    def _flush(self):
        """Write what is queued; False when the connection is broken or hopelessly behind."""
        while True:
            with self._lock:
                out = self._out
                if not out:
                    return True
                if self._out_off == 0 and len(out) > 1 and len(out[0]) < _COALESCE:
                    # many small lines in one write: fewer syscalls, fewer packets
                    n = 1
                    total = len(out[0])
                    while n < len(out) and total + len(out[n]) <= _COALESCE:
                        total += len(out[n])
                        n += 1
                    if n > 1:
                        out[:n] = [b''.join(out[:n])]
                data = out[0]
                off = self._out_off
            try:
                sent = self._conn.send(memoryview(data)[off:])
            except (BlockingIOError, InterruptedError):
                return True
            except OSError:
                return False
            self.bytes_out += sent
            with self._lock:
                if not self._out or self._out[0] is not data:
                    return True   # dropped meanwhile
                self._out_size -= sent
                if off + sent >= len(data):
                    self._out.pop(0)
                    self._out_off = 0
                else:
                    self._out_off = off + sent
                    return True   # the socket is full; wait for EVENT_WRITE

    def _read(self, buf, discarding):
        try:
            chunk = self._conn.recv(_RECV_SIZE)
        except (BlockingIOError, InterruptedError):
            return True, buf, discarding
        except OSError:
            return False, buf, discarding
        if not chunk:
            return False, buf, discarding
        start = len(buf)
        buf += chunk
        pos = 0
        while True:
            nl = buf.find(b'\n', max(pos, start))
            if nl < 0:
                break
            start = 0
            if discarding:
                discarding = False
            else:
                line = bytes(buf[pos:nl])
                if len(line) > self.line_limit:
                    self._too_large()
                else:
                    try:
                        self._handle_line(line)
                    except Exception as exc:   # one line must never stop the socket thread
                        self._log('Roomtone: line handling failed: %r' % (exc,))
            pos = nl + 1
        if pos:
            del buf[:pos]
        if len(buf) > self.line_limit:
            if not discarding:
                self._too_large()
            discarding = True
            del buf[:]
        elif discarding:
            del buf[:]
        return True, buf, discarding

    def _refuse_unproven(self, why):
        if self._secret is None:
            why = 'the Remote Script has no agent secret (see Live\'s Log.txt)'
        self.send(protocol.error_line(protocol.UNAUTHENTICATED, 'not the Roomtone agent: %s' % why), before_proof=True)
        with self._lock:
            self._close_after_flush = True

    def _too_large(self):
        self.send(protocol.error_line(protocol.TOO_LARGE,
                                      'line longer than %d bytes; dropped' % self.line_limit), before_proof=True)

    def _handle_line(self, raw):
        raw = raw.strip()
        if not raw:
            return
        self.lines_in += 1
        try:
            msg = json.loads(raw.decode('utf-8'), parse_constant=_no_constant)
        except Exception:   # ValueError, UnicodeDecodeError, RecursionError (deep nesting)
            self.send(protocol.error_line(protocol.INVALID, 'line is not valid JSON'), before_proof=True)
            return
        if not isinstance(msg, dict):
            self.send(protocol.error_line(protocol.INVALID, 'line is not a JSON object'), before_proof=True)
            return
        kind = msg.get('type')
        if kind not in protocol.AGENT_LINE_TYPES:
            self.send(protocol.error_line(protocol.INVALID, 'unknown line type %r' % (kind,)), before_proof=True)
            return
        if kind != 'hello' and not self._authed:
            self._refuse_unproven('send your hello with its proof first')
            return
        if kind == 'hello':
            version = msg.get('protocol')
            if version != protocol.PROTOCOL_VERSION or isinstance(version, bool):
                self.send(protocol.error_line(
                    protocol.PROTOCOL_MISMATCH,
                    'this Remote Script speaks protocol %d, the agent %r' % (protocol.PROTOCOL_VERSION, version)),
                    before_proof=True)
                with self._lock:
                    self._close_after_flush = True
                return
            if not self._authed:
                if not agent_auth.proves(self._secret, self._nonce, msg.get('proof')):
                    self._refuse_unproven("the hello's proof does not match the secret next to the Remote Script")
                    return
                self._authed = True
            client = msg.get('client')
            self.client = client if isinstance(client, str) else None
            return
        if kind == 'commands' and self._on_arrival is not None and isinstance(msg.get('commands'), list):
            now, rest = self._on_arrival(msg['commands'])
            if now:
                self.send({'type': 'results', 'results': now})
            if not rest:
                return
            msg = dict(msg, commands=rest)
        self.inbound.append((self._gen, msg))
