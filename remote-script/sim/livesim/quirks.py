"""Live's own quirks, on by default, each with a switch.

Every quirk here is something real Live does that a Remote Script must cope with; the
simulator reproduces them so that the script is tested against them, and each can be
switched off so a test can show the script copes both ways. docs/remote-script.md lists
the public source of each.

Switch them with World(quirks={'name': False}), `run.py --quirks -name,+other`, or the
environment variable ROOMTONE_SIM_QUIRKS in the same syntax ("-name" off, "name" or
"+name" on).
"""

QUIRKS = {
    # ClipSlot.playing_status listeners never fire (ableton-js #4, #25).
    'silent_slot_status': True,
    # A deleted object compares equal to None and raises on every access (Ableton's own
    # scripts test liveness with `obj != None`).
    'dead_objects': True,
    # The _live_ptr of a deleted object is handed to the next object Live creates.
    'ptr_reuse': True,
    # Writing to a disabled parameter (is_enabled False) raises.
    'disabled_param_raises': True,
    # A change requested from inside a listener callback raises "Changes cannot be
    # triggered by notifications".
    'notification_guard': True,
    # An exception escaping a Live.Base.Timer callback stops that timer for good.
    'timer_stops_on_exception': True,
    # Opening another set calls disconnect() on the script, creates a new instance and
    # replaces every object; switched off, the instance stays and only the objects change.
    'new_set_recreates_script': True,
    # Song.is_playing listeners fire twice when playback starts (AbletonOSC #129).
    'double_is_playing': True,
    # Writing an automated parameter overrides its automation until re_enable_automation.
    'automation_override': True,
    # BrowserItem.children costs time per child: Live builds the items when asked.
    'slow_browser': True,
}

# What slow_browser costs, in seconds: per access of `children` and per child returned.
BROWSER_CALL_S = 20e-6
BROWSER_CHILD_S = 3e-6


def parse(spec, base=None):
    """'-a,+b,c' -> {a: False, b: True, c: True} applied over `base` (the defaults)."""
    out = dict(QUIRKS if base is None else base)
    for part in (spec or '').split(','):
        part = part.strip()
        if not part:
            continue
        on = not part.startswith('-')
        name = part.lstrip('+-')
        if name not in QUIRKS:
            raise ValueError('unknown quirk %r (known: %s)' % (name, ', '.join(sorted(QUIRKS))))
        out[name] = on
    return out


def resolve(overrides=None, env=None):
    """The defaults, then ROOMTONE_SIM_QUIRKS, then `overrides` (a dict)."""
    import os
    out = parse((env if env is not None else os.environ).get('ROOMTONE_SIM_QUIRKS', ''))
    for name, on in (overrides or {}).items():
        if name not in QUIRKS:
            raise ValueError('unknown quirk %r' % (name,))
        out[name] = bool(on)
    return out


def busy(seconds):
    """Spend `seconds` of this thread's time, as Live's own work inside an API call does."""
    import time
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass
