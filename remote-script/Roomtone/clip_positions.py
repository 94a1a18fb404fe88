"""Where each playing clip is, for the meters line (a progress bar that follows Live).

A clip's `playing_position` changes every audio buffer, so it is state nobody should
store: like the song position it travels in the bounded-rate meters line, only for clips
that are playing or recording, and only when it moved.
"""
from __future__ import absolute_import


def clip_positions(mirror, track_ids, last):
    """{clip id: position in beats} of the clips playing on `track_ids` that moved since
    `last` (updated in place; clips that stopped are dropped from it)."""
    out = {}
    seen = set()
    for tid in track_ids:
        te = mirror.get(tid)
        if te is None:
            continue
        idx = te.props.get('playingSlotIndex', -1)
        slots = te.props.get('clipSlots') or ()
        if idx is None or not 0 <= idx < len(slots):
            continue
        se = mirror.get(slots[idx])
        clip_ids = se.children.get('clip') if se is not None else None
        if not clip_ids:
            continue
        ce = mirror.get(clip_ids[0])
        if ce is None:
            continue
        try:
            pos = round(float(ce.obj.playing_position), 3)
        except Exception:
            continue
        seen.add(ce.id)
        if last.get(ce.id) != pos:
            last[ce.id] = pos
            out[ce.id] = pos
    for cid in [c for c in last if c not in seen]:
        del last[cid]
    return out
