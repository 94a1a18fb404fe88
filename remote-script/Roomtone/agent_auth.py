"""The agent's proof that it may drive this Live set (H9 in docs/security.md).

A process on the studio machine could connect to the script's port while the agent was
away, drive Live, and hold the one slot against the agent. Now the script and its
launcher share a secret in a file next to the script (owner-only permissions); the
script's hello carries a fresh nonce, and the agent's hello must carry
HMAC-SHA256(secret, nonce) in hex. The secret itself never crosses the socket, so a
process that listens on the port while Live is closed learns nothing it can reuse.

Stdlib only; Python 3.7 and 3.11.
"""
from __future__ import absolute_import

import binascii
import errno
import hashlib
import hmac
import os
import stat

SECRET_FILE_NAME = 'agent.secret'
ENV_SECRET_FILE = 'ROOMTONE_SCRIPT_SECRET_FILE'


def secret_path():
    """Where the secret lives: next to the script, unless the launcher named a file."""
    named = (os.environ.get(ENV_SECRET_FILE) or '').strip()
    if named:
        return named
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), SECRET_FILE_NAME)


def load_or_create(path):
    """The secret in `path`, made (0600) when there is none yet. Raises OSError when it cannot."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        if exc.errno != errno.EEXIST:
            raise
    else:
        with os.fdopen(fd, 'w') as f:
            f.write(binascii.hexlify(os.urandom(32)).decode('ascii') + '\n')
    if os.name != 'nt':
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if mode & 0o077:
            os.chmod(path, 0o600)   # whoever copied it there, it stays owner-only
    with open(path, 'r') as f:
        secret = f.read().strip()
    if len(secret) < 32:
        raise OSError(errno.EINVAL, 'the agent secret in %s is too short; delete the file to make a new one' % path)
    return secret


def new_nonce():
    return binascii.hexlify(os.urandom(16)).decode('ascii')


def proof(secret, nonce):
    return hmac.new(secret.encode('utf-8'), nonce.encode('utf-8'), hashlib.sha256).hexdigest()


def proves(secret, nonce, given):
    """True when `given` is the agent's proof for this connection's nonce."""
    if not secret or not isinstance(given, str) or len(given) != 64:
        return False
    return hmac.compare_digest(proof(secret, nonce), given)
