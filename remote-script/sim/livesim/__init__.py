"""Roomtone's Live simulator: a fake `Live` module built from Live's API listings.

    from livesim import World
    w = World('12.3.6', seed=1)      # also makes `import Live` present Live 12.3.6
    song = w.song                     # the demo set
    w.advance(0.01); w.run_timers()   # what the runner's main loop does every tick
"""
from .api import VERSIONS, DEFAULT_VERSION, load_listing  # noqa: F401
from .world import World, install, current, classes_for  # noqa: F401
