"""The sets the simulator can open: `run.py --set NAME`, ROOMTONE_SIM_SET, World(set_name=...).

* demo: the small pop song every `npm start` shows (demo.py).
* heavy: a studio's big set, 100+ tracks and 40,000+ parameters (heavy.py).
* rehearsal: another small set, so a test can tell one set from another (rehearsal.py).
"""


def _demo(world, song):
    from . import demo
    return demo.build(world, song)


def _heavy(world, song):
    from . import heavy
    return heavy.build(world, song)


def _rehearsal(world, song):
    from . import rehearsal
    return rehearsal.build(world, song)


SETS = {'demo': _demo, 'heavy': _heavy, 'rehearsal': _rehearsal}
