"""The host agent <-> Remote Script wire, as the Python side speaks it.

Mirrors protocol/script-lines.ts, protocol/errors.ts and protocol/version.ts: one JSON
object per line over TCP on 127.0.0.1, UTF-8, '\\n' terminated. Nothing here touches
Live, so this module imports anywhere (tests, tools) without the `Live` module.
"""
from __future__ import absolute_import

import json
import os
import math

PROTOCOL_VERSION = 1
SCRIPT_LINE_LIMIT = 8 * 1024 * 1024  # 8 MiB, as SCRIPT_LINE_LIMIT in script-lines.ts
DEFAULT_SCRIPT_PORT = 47800
DEFAULT_SCRIPT_HOST = '127.0.0.1'

# protocol/errors.ts, in the same order.
INVALID = 'INVALID'
UNAUTHENTICATED = 'UNAUTHENTICATED'
FORBIDDEN = 'FORBIDDEN'
ORIGIN_REJECTED = 'ORIGIN_REJECTED'
ROOM_LOCKED = 'ROOM_LOCKED'
FROZEN = 'FROZEN'
BAD_JOIN_CODE = 'BAD_JOIN_CODE'
BAD_PIN = 'BAD_PIN'
THROTTLED = 'THROTTLED'
PIN_PAUSED = 'PIN_PAUSED'
RATE_LIMITED = 'RATE_LIMITED'
CONFLICT = 'CONFLICT'
HELD = 'HELD'
BUSY = 'BUSY'
AGENT_OFFLINE = 'AGENT_OFFLINE'
LIVE_OFFLINE = 'LIVE_OFFLINE'
TIMEOUT = 'TIMEOUT'
NOT_FOUND = 'NOT_FOUND'
UNSUPPORTED = 'UNSUPPORTED'
LIVE_ERROR = 'LIVE_ERROR'
PROTOCOL_MISMATCH = 'PROTOCOL_MISMATCH'
AGENT_CONFLICT = 'AGENT_CONFLICT'
NOT_CONNECTED = 'NOT_CONNECTED'
KICKED = 'KICKED'
TOO_LARGE = 'TOO_LARGE'
NOTES_FULL = 'NOTES_FULL'
TOO_MANY_CONNECTIONS = 'TOO_MANY_CONNECTIONS'
FILE_TOO_LARGE = 'FILE_TOO_LARGE'
QUOTA_EXCEEDED = 'QUOTA_EXCEEDED'
DISK_FULL = 'DISK_FULL'
NOT_AUDIO = 'NOT_AUDIO'
BAD_AUDIO = 'BAD_AUDIO'
DROPS_OFF = 'DROPS_OFF'
INTERNAL = 'INTERNAL'

ERROR_CODES = (
    INVALID, UNAUTHENTICATED, FORBIDDEN, ORIGIN_REJECTED, ROOM_LOCKED, FROZEN,
    BAD_JOIN_CODE, BAD_PIN, THROTTLED, PIN_PAUSED, RATE_LIMITED, CONFLICT, HELD, BUSY,
    AGENT_OFFLINE, LIVE_OFFLINE, TIMEOUT, NOT_FOUND, UNSUPPORTED, LIVE_ERROR,
    PROTOCOL_MISMATCH, AGENT_CONFLICT, NOT_CONNECTED, KICKED, TOO_LARGE, NOTES_FULL,
    TOO_MANY_CONNECTIONS, FILE_TOO_LARGE, QUOTA_EXCEEDED, DISK_FULL, NOT_AUDIO, BAD_AUDIO,
    DROPS_OFF, INTERNAL,
)

# Entity kinds of protocol/set-doc.ts.
ENTITY_KINDS = ('song', 'track', 'return', 'master', 'scene', 'clip_slot', 'clip',
                'device', 'parameter', 'cue_point', 'order')

# Line types the agent may send.
AGENT_LINE_TYPES = ('hello', 'commands', 'snapshot_request', 'stats_request', 'ping')


class CommandError(Exception):
    """A refusal that becomes {ok: false, error: {code, message, current?}}."""

    def __init__(self, code, message, current=None):
        Exception.__init__(self, message)
        self.code = code
        self.message = message
        self.current = current

    def to_wire(self):
        return wire_error(self.code, self.message, self.current)


def wire_error(code, message, current=None):
    err = {'code': code, 'message': message}
    if current is not None:
        err['current'] = current
    return err


def new_epoch():
    """A random base36 string (about 62 bits) naming one script instance's life."""
    n = int.from_bytes(os.urandom(8), 'big') >> 2
    digits = '0123456789abcdefghijklmnopqrstuvwxyz'
    out = []
    while n:
        n, r = divmod(n, 36)
        out.append(digits[r])
    return ''.join(reversed(out)) or '0'


def _clean(value):
    """JSON has no NaN or Infinity; Live can report them (e.g. -inf dB)."""
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return value
    if isinstance(value, dict):
        return dict((k, _clean(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def encode_line(obj):
    """One wire line as bytes, '\\n' terminated. Never emits NaN/Infinity."""
    try:
        text = json.dumps(obj, separators=(',', ':'), ensure_ascii=False, allow_nan=False)
    except ValueError:
        obj = _clean(obj)
        text = json.dumps(obj, separators=(',', ':'), ensure_ascii=False, allow_nan=False)
    try:
        return (text + '\n').encode('utf-8')
    except UnicodeEncodeError:
        # A lone surrogate (a JSON "\ud83c" escape read back in) has no UTF-8 form and
        # would lose the whole line (a tick's results, a snapshot); as \u escapes it travels.
        return (json.dumps(obj, separators=(',', ':'), ensure_ascii=True, allow_nan=False) + '\n').encode('ascii')


def error_line(code, message):
    return {'type': 'error', 'error': wire_error(code, message)}
