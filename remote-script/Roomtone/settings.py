"""Where the script listens: the port and the address.

Live started from the Dock or the Start menu sees no shell environment variables, so the
port can also be set in a file next to the script: `port.txt` in this folder, holding
the number (lines starting with # are comments). The environment variable
ROOMTONE_SCRIPT_PORT, where Live does see it, wins over the file; without either the
port is 47800. The address is always loopback.
"""
from __future__ import absolute_import

import os

from . import protocol

PORT_FILE = 'port.txt'
HERE = os.path.dirname(os.path.abspath(__file__))


def parse_port(text):
    """The port in a port file's text, or None when it holds none (a problem to log)."""
    for line in (text or '').splitlines():
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        try:
            port = int(line)
        except ValueError:
            return None
        return port if 0 <= port <= 65535 else None
    return None


def port_setting(environ=None, folder=None):
    """(port, where it came from, problem or None)."""
    env = os.environ if environ is None else environ
    raw = env.get('ROOMTONE_SCRIPT_PORT')
    if raw is not None and raw.strip() != '':
        try:
            port = int(raw)
        except ValueError:
            port = -1
        if 0 <= port <= 65535:
            return port, 'ROOMTONE_SCRIPT_PORT', None
        return protocol.DEFAULT_SCRIPT_PORT, 'default', 'ROOMTONE_SCRIPT_PORT=%r is not a port' % raw
    path = os.path.join(folder or HERE, PORT_FILE)
    if os.path.isfile(path):
        try:
            with open(path) as f:
                text = f.read(4096)
        except (IOError, OSError) as exc:
            return protocol.DEFAULT_SCRIPT_PORT, 'default', 'cannot read %s: %s' % (path, exc)
        port = parse_port(text)
        if port is None:
            return protocol.DEFAULT_SCRIPT_PORT, 'default', '%s holds no port number (0..65535)' % path
        return port, path, None
    return protocol.DEFAULT_SCRIPT_PORT, 'default', None


def host_setting(environ=None):
    env = os.environ if environ is None else environ
    host = (env.get('ROOMTONE_SCRIPT_HOST') or protocol.DEFAULT_SCRIPT_HOST).strip()
    # Never listen beyond loopback: anything else falls back to 127.0.0.1.
    if host in ('127.0.0.1', 'localhost'):
        return '127.0.0.1'
    return protocol.DEFAULT_SCRIPT_HOST
