"""Automation: parameters that move by themselves while the song plays.

`World.automate(count)` picks `count` parameters across the set (mixer volumes, pans and
sends first, then device parameters, a few per device) and gives each a slow curve of
its own; while the transport runs, every pass of the main loop moves them and Live
notifies their value listeners, as automation playback does. A user's write overrides
one (quirks.automation_override) until re_enable_automation().
"""
import math


def _continuous(param):
    return not param._spec.quantized and param._p['state'] != 2 and param._p['name'] != 'Device On'


def _device_params(track, per_device):
    out = []
    for dev in track._devices:
        picked = [p for p in dev._params if _continuous(p)][:per_device]
        out.extend(picked)
    return out


def pick(world, count):
    song = world.song
    tracks = [t for t in song._tracks if t._kind in ('midi', 'audio')]
    mixer = []
    for t in tracks:
        mixer.append(t._mixer._volume)
    for t in tracks[::2]:
        mixer.append(t._mixer._panning)
    for t in tracks[1::3]:
        if t._mixer._sends:
            mixer.append(t._mixer._sends[0])
    chosen = mixer[:count * 3 // 5]
    devices = []
    for t in song._tracks + song._returns:
        devices.extend(_device_params(t, 3))
    step = max(1, len(devices) // max(1, count - len(chosen)))
    chosen.extend(devices[::step][:count - len(chosen)])
    rng = world.rng
    out = []
    for param in chosen:
        lo, hi = param._spec.min, param._spec.max
        base = param._p['value']
        depth = (hi - lo) * (0.1 + 0.3 * rng.random())
        out.append([param, base, depth, 1.0 / (2 ** rng.randint(1, 5)), rng.random()])
        param._set('automation_state', 1)
    return out


def step(automated, beat):
    for item in automated:
        param, base, depth, rate, phase = item
        if param._dead or param._p['automation_state'] != 1:
            continue
        lo, hi = param._spec.min, param._spec.max
        v = base + depth * math.sin(2.0 * math.pi * (beat * rate + phase))
        param._set_value(min(hi, max(lo, v)), False)
