"""Continuous writes to one control, queued for the same tick, become one write.

The server may have two values for a control on their way at once (so a fader move does
not wait a whole round trip behind the previous one); when both reach the same tick, only
the later one runs, and the earlier is answered with the later one's result: Live still
gets at most one write per control per tick, and the last value is the one that lands.
Only unconditional writes (no baseRev) of continuous actions coalesce, as on the server.
"""
from __future__ import absolute_import

from . import actions
from .protocol import CommandError


def coalescing_key(cmd):
    """(action, target, index) for a well-formed unconditional continuous write, else None."""
    if not isinstance(cmd, dict) or cmd.get('baseRev') is not None:
        return None
    name = cmd.get('action')
    spec = actions.SPECS.get(name) if isinstance(name, str) else None
    if spec is None or spec.mode != 'continuous':
        return None
    cid = cmd.get('id')
    deadline = cmd.get('deadline')
    if not isinstance(cid, str) or not cid or len(cid) > 200:
        return None
    if not isinstance(deadline, (int, float)) or isinstance(deadline, bool):
        return None
    target = cmd.get('target')
    if target is not None and not isinstance(target, str):
        return None
    try:
        args = spec.parse(cmd.get('args') if cmd.get('args') is not None else {})
    except CommandError:
        return None   # runs, and gets its INVALID answer
    return (name, target, args.get('index'))


class TickCoalescer(object):
    def __init__(self):
        self._superseded_by = {}   # command id -> id of the later write that replaces it
        self._waiting_on = {}      # id of a later write -> ids answered with its result
        self.superseded = 0

    def plan(self, messages):
        """Looks at every `commands` line queued now (in order) and notes, per control,
        which writes a later queued write replaces."""
        last = {}
        order = []
        for msg in messages:
            if not isinstance(msg, dict) or msg.get('type') != 'commands':
                continue
            cmds = msg.get('commands')
            if not isinstance(cmds, list):
                continue
            for cmd in cmds:
                key = coalescing_key(cmd)
                if key is None:
                    continue
                order.append((key, cmd['id']))
                last[key] = cmd['id']
        superseded_by = {}
        for key, cid in order:
            final = last[key]
            if cid != final:
                superseded_by[cid] = final
        self._superseded_by = superseded_by

    def skip(self, cid):
        """True when a later queued write replaces this one: do not run it; its answer
        comes with the later one's result."""
        final = self._superseded_by.pop(cid, None)
        if final is None:
            return False
        # Those already waiting on this one (from an earlier tick) now wait on the later one.
        self._waiting_on.setdefault(final, []).extend([cid] + list(self._waiting_on.pop(cid, ())))
        self.superseded += 1
        return True

    def followers(self, cid):
        """The ids that wait for this command's result (popped)."""
        return self._waiting_on.pop(cid, ())

    def reset(self):
        """A new connection: nobody is left to answer for the old one."""
        self._superseded_by = {}
        self._waiting_on = {}
