"""Fake `Live` package for the Roomtone simulator (remote-script/sim).

Its submodules (Live.Song, Live.Track, Live.Clip, Live.Base, Live.Application, ...) are made
from Live's own API listings by livesim.install(); they hold exactly the classes and members
of the emulated Live version. The version is the one of the current livesim.World, or
ROOMTONE_SIM_LIVE_VERSION (default 12.3.6) until a World exists.
"""
import os as _os
import sys as _sys

_here = _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))
if _here not in _sys.path:
    _sys.path.insert(0, _here)

from livesim import world as _world  # noqa: E402

_world.install(_os.environ.get('ROOMTONE_SIM_LIVE_VERSION') or _world.api.DEFAULT_VERSION)
