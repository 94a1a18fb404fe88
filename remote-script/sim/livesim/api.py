"""Builds the fake `Live` classes from Live's own API listings (../live-api/*.json).

Every class of the emulated Live version gets exactly the members the listing names:

* properties: the behaviour class's property when it has one, otherwise plain storage;
  a property the listing marks read-only has no setter, so assigning it raises
  AttributeError, as in Live; the simulator changes it through `_set`, which fires
  listeners.
* listeners: `add_<p>_listener` / `remove_<p>_listener` / `<p>_has_listener`, generated
  only where the listing has them.
* functions: the behaviour class's method when it has one, otherwise a stub that raises
  RuntimeError('not simulated: Class.member').
* enums: int subclasses with the listed value names.

Behaviour classes (model.py) hold the simulation; their private (`_`) members are copied
into every generated class, their public members only where the listing has that name.
"""
import json
import os
import re
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
LISTING_DIR = os.path.join(os.path.dirname(HERE), 'live-api')
VERSIONS = ('11.0.0', '12.0.5', '12.3.6')
DEFAULT_VERSION = '12.3.6'

NOTIFICATION_ERROR = 'Changes cannot be triggered by notifications. You will need to defer your response.'

_LISTENER_RE = re.compile(r'^add_(\w+)_listener$')

_listings = {}


def load_listing(version):
    if version not in _listings:
        path = os.path.join(LISTING_DIR, 'live-%s.json' % version)
        if not os.path.exists(path):
            raise ValueError('no API listing for Live %s (have: %s)' % (version, ', '.join(VERSIONS)))
        with open(path) as f:
            _listings[version] = json.load(f)
    return _listings[version]


def listener_props(members):
    """Property names that have the whole listener trio in a listing's members."""
    out = set()
    for name in members:
        m = _LISTENER_RE.match(name)
        if m:
            p = m.group(1)
            if ('remove_%s_listener' % p) in members and ('%s_has_listener' % p) in members:
                out.add(p)
    return out


# --------------------------------------------------------------------------------------
# Notification state: Live refuses changes made from inside a listener callback.

class _State(object):
    notifying = 0
    owner = None     # thread id of "Live's main thread" (the one that made the World)
    notification_guard = True   # quirks.notification_guard


DEAD_ERROR = 'The Live object was deleted: this Python wrapper points to nothing any more'


def check_alive(obj):
    """Live raises on any access to a deleted object (quirks.dead_objects). Every
    generated class has `_dead = False`; a killed object sets its own."""
    if getattr(obj, '_dead', False):
        raise RuntimeError(DEAD_ERROR)


STATE = _State()

try:
    from threading import get_ident as _get_ident
except ImportError:  # pragma: no cover
    from thread import get_ident as _get_ident

THREAD_ERROR = ("Live's API was called from a thread other than Live's main thread; "
                "in Live this corrupts state or crashes. Hand the work to the main thread.")


def check_thread():
    owner = STATE.owner
    if owner is not None and _get_ident() != owner:
        raise RuntimeError(THREAD_ERROR)


def _check_call(obj):
    """Before every listed function: Live's main thread only, and a live object."""
    owner = STATE.owner
    if owner is not None and _get_ident() != owner:
        raise RuntimeError(THREAD_ERROR)
    if getattr(obj, '_dead', False):
        raise RuntimeError(DEAD_ERROR)


def guard():
    """Call before any change requested through the public API."""
    owner = STATE.owner
    if owner is not None and _get_ident() != owner:
        raise RuntimeError(THREAD_ERROR)
    if STATE.notifying and STATE.notification_guard:
        raise RuntimeError(NOTIFICATION_ERROR)


def call_listeners(callbacks, where):
    for cb in list(listeners_of(callbacks)):
        STATE.notifying += 1
        try:
            cb()
        except Exception:
            # Live logs a listener's exception to Log.txt and carries on.
            sys.stderr.write('[live-sim] exception in %s listener:\n%s' % (where, traceback.format_exc()))
        finally:
            STATE.notifying -= 1


# --------------------------------------------------------------------------------------
# Enums

class LiveEnum(int):
    """Like a Boost.Python enum value: an int with a name."""
    names = {}
    values = {}

    def __new__(cls, value, name=None):
        obj = int.__new__(cls, value)
        obj._name = name if name is not None else cls.values_by_int_name(value)
        return obj

    @classmethod
    def values_by_int_name(cls, value):
        v = cls.values.get(int(value))
        return v._name if v is not None else str(int(value))

    @property
    def name(self):
        return self._name

    def __repr__(self):
        return '%s.%s.%s' % (self.__class__.__module__, self.__class__.__qualname__, self._name)

    def __str__(self):
        return self._name


# Live's numeric values where known; other enums number their values in listing order.
ENUM_ORDER = {
    'Song.Quantization': ['q_no_q', 'q_8_bars', 'q_4_bars', 'q_2_bars', 'q_bar', 'q_half', 'q_half_triplet',
                          'q_quarter', 'q_quarter_triplet', 'q_eight', 'q_eight_triplet', 'q_sixtenth',
                          'q_sixtenth_triplet', 'q_thirtytwoth'],
    'Clip.ClipLaunchQuantization': ['q_global', 'q_none', 'q_8_bars', 'q_4_bars', 'q_2_bars', 'q_bar', 'q_half',
                                    'q_half_triplet', 'q_quarter', 'q_quarter_triplet', 'q_eighth',
                                    'q_eighth_triplet', 'q_sixteenth', 'q_sixteenth_triplet', 'q_thirtysecond'],
    'Song.RecordingQuantization': ['rec_q_no_q', 'rec_q_quarter', 'rec_q_eight', 'rec_q_eight_triplet',
                                   'rec_q_eight_eight_triplet', 'rec_q_sixtenth', 'rec_q_sixtenth_triplet',
                                   'rec_q_sixtenth_sixtenth_triplet', 'rec_q_thirtysecond'],
    'Device.DeviceType': {'undefined': 0, 'instrument': 1, 'audio_effect': 2, 'midi_effect': 4},
    'ClipSlot.ClipSlotPlayingState': ['stopped', 'started', 'recording'],
    'Track.Track.monitoring_states': ['IN', 'AUTO', 'OFF'],
    'MixerDevice.MixerDevice.crossfade_assignments': ['A', 'NONE', 'B'],
    'MixerDevice.MixerDevice.panning_modes': ['stereo', 'stereo_split'],
    'DeviceParameter.AutomationState': ['none', 'playing', 'overridden'],
    'DeviceParameter.ParameterState': ['enabled', 'irrelevant', 'disabled'],
    'Song.SessionRecordStatus': ['off', 'transition', 'on'],
    'Song.CaptureDestination': ['auto', 'session', 'arrangement'],
    'Song.CaptureMode': ['all', 'all_except_selected'],
    'Clip.LaunchMode': ['trigger', 'gate', 'toggle', 'repeat'],
    'Clip.WarpMode': ['beats', 'tones', 'texture', 'repitch', 'complex', 'rex', 'complex_pro', 'count'],
    'Clip.GridQuantization': ['no_grid', 'g_8_bars', 'g_4_bars', 'g_2_bars', 'g_bar', 'g_half', 'g_quarter',
                              'g_eighth', 'g_sixteenth', 'g_thirtysecond', 'count'],
    'Browser.Relation': ['none', 'ancestor', 'equal', 'descendant'],
    'Track.RoutingTypeCategory': ['external', 'invalid', 'master', 'none', 'parent_group_track', 'resampling',
                                  'rewire', 'track'],
    'Track.RoutingChannelLayout': ['midi', 'mono', 'stereo'],
}


def make_enum(qualname, values):
    order = ENUM_ORDER.get(qualname)
    numbers = {}
    if isinstance(order, dict):
        numbers.update(order)
    elif order:
        for i, n in enumerate(order):
            numbers[n] = i
    nxt = max(numbers.values()) + 1 if numbers else 0
    for n in values:
        if n not in numbers:
            numbers[n] = nxt
            nxt += 1
    parts = qualname.split('.')
    cls = type(parts[-1], (LiveEnum,), {'__module__': 'Live.' + parts[0], '__qualname__': '.'.join(parts[1:]),
                                        'names': {}, 'values': {}})
    for n in values:
        v = cls(numbers[n], n)
        setattr(cls, n, v)
        cls.names[n] = v
        cls.values[numbers[n]] = v
    return cls


# --------------------------------------------------------------------------------------
# Class building

def _default_for(type_name):
    t = (type_name or '').strip()
    if t == 'bool':
        return False
    if t == 'int':
        return 0
    if t == 'float':
        return 0.0
    if t == 'str':
        return ''
    if t.endswith('Vector') or t == 'tuple':
        return ()
    return None


def _impl_lookup(impl, name):
    for klass in impl.__mro__:
        if name in vars(klass):
            return vars(klass)[name]
    return None


# --------------------------------------------------------------------------------------
# Fresh wrappers: Live hands out a new Python wrapper on every access (same _live_ptr, `==`
# equal, never `is` identical). In that mode the generated accessors return a new shell
# that shares the canonical object's state, and unwrap shells they are given.

def wrap(v):
    t = type(v)
    if t is tuple:
        return tuple([wrap(x) for x in v])
    d = getattr(v, '__dict__', None)
    if d is not None and '_canon' in d:
        shell = object.__new__(t)
        object.__setattr__(shell, '__dict__', d)
        return shell
    return v


def unwrap(v):
    # getattr, not __dict__: asking a function (a listener callback) for its __dict__
    # makes one, an object per listener for Python's garbage collector to walk
    c = getattr(v, '_canon', None)
    return v if c is None else c


def _make_property(key, name, spec, impl_obj, fresh=False):
    settable = spec.get('settable', False)
    fget = fset = None
    if isinstance(impl_obj, property):
        fget, fset = impl_obj.fget, impl_obj.fset
    if fget is None:
        default = _default_for(spec.get('type'))

        def fget(self, _n=name, _d=default):
            return self._p.get(_n, _d)
    doc = '%s.%s (%s%s)' % (key, name, spec.get('type'), '' if settable else ', read-only')
    if fresh:
        def fresh_get(self, _g=fget):
            if self._dead:
                raise RuntimeError(DEAD_ERROR)
            return wrap(_g(unwrap(self)))
        getter = fresh_get
    else:
        def getter(self, _g=fget):
            if self._dead:
                raise RuntimeError(DEAD_ERROR)
            return _g(self)
    if not settable:
        return property(getter, doc=doc)
    if fset is None:
        def setter(self, value, _n=name):
            self._user_set(_n, value)
    else:
        def setter(self, value, _f=fset):
            guard()
            _f(self, value)
    if fresh:
        def fresh_set(self, value, _s=setter):
            check_alive(self)
            _s(unwrap(self), unwrap(value))
        return property(getter, fresh_set, doc=doc)

    def live_set(self, value, _s=setter):
        check_alive(self)
        _s(self, value)
    return property(getter, live_set, doc=doc)


def listeners_of(entry):
    """The callbacks stored for one property: none, one callable, or a list of them.

    A lone listener is kept as the callable itself, not in a list: in Live the listener
    lists live in C++, so here they should not add objects to Python's garbage collector
    either (a big set has tens of thousands of them), or the simulator would charge the
    script's ticks for collections real Live never makes."""
    if entry is None:
        return ()
    if isinstance(entry, list):
        return entry
    return (entry,)


def _make_listener_fns(key, prop):
    def add(self, callback):
        check_alive(self)
        if not callable(callback):
            raise TypeError('%s.add_%s_listener: callback is not callable' % (key, prop))
        ls = self._ls
        entry = ls.get(prop)
        if entry is None:
            ls[prop] = callback
            return
        if callback in listeners_of(entry):
            raise RuntimeError('Listener already connected (%s.%s)' % (key, prop))
        ls[prop] = list(listeners_of(entry)) + [callback]

    def remove(self, callback):
        check_alive(self)
        ls = self._ls
        now = listeners_of(ls.get(prop))
        if callback not in now:
            raise RuntimeError('Listener not connected (%s.%s)' % (key, prop))
        rest = [cb for cb in now if cb != callback]
        if not rest:
            del ls[prop]
        else:
            ls[prop] = rest[0] if len(rest) == 1 else rest

    def has(self, callback):
        check_alive(self)
        return callback in listeners_of(self._ls.get(prop))

    add.__name__ = 'add_%s_listener' % prop
    remove.__name__ = 'remove_%s_listener' % prop
    has.__name__ = '%s_has_listener' % prop
    return add, remove, has


def _make_stub(key, name):
    def stub(self, *args, **kwargs):
        raise RuntimeError('not simulated: %s.%s' % (key, name))
    stub.__name__ = name
    stub.__doc__ = 'Listed in Live\'s API but not simulated: calling it raises RuntimeError.'
    return stub


# --------------------------------------------------------------------------------------
# Signatures: every listed function takes exactly the parameters Live's signature names

_PARAM_RE = re.compile(r'^\((?P<type>[^)]*)\)(?P<name>\w+)(?:=(?P<default>.*))?$')
_TOKEN_RE = re.compile(r'\[|\]|,|[^\[\],]+')


def parse_signature(sig):
    """'fire( (Scene)arg1 [, (bool)force_legato=False]) -> None :' -> (['...required'], ['...optional']).

    The first parameter (the object itself) is left out. Returns None when there is no signature."""
    if not sig or '(' not in sig or ')' not in sig:
        return None
    head = sig.split(' -> ')[0]
    inner = head[head.index('(') + 1: head.rindex(')')]
    req, opt = [], []
    optional = False
    for tok in _TOKEN_RE.findall(inner):
        if tok == '[':
            optional = True
            continue
        tok = tok.strip()
        if tok in (']', ',', ''):
            continue
        m = _PARAM_RE.match(tok)
        if m is None:
            return None
        (opt if optional else req).append(m.group('name'))
    if not req:
        return None
    return req[1:], opt


class _Missing(object):
    def __repr__(self):
        return '<not given>'


MISSING = _Missing()
_FACTORIES = {}
_KEYWORDS = frozenset(['self', 'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break',
                       'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from',
                       'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass',
                       'raise', 'return', 'try', 'while', 'with', 'yield'])


def _impl_defaults(fn):
    try:
        import inspect
        params = list(inspect.signature(fn).parameters.values())[1:]
    except (TypeError, ValueError):
        return None
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
        return None
    return [p.default for p in params]


def adapt(key, name, fn, signature, fresh=False):
    """Wrap fn so that its parameters are exactly those of Live's signature (names, arity).

    The behaviour function is called positionally; an optional parameter skipped while a
    later one is given takes the behaviour function's own default."""
    impl = fn
    if fresh:
        def fresh_fn(self, *args, **kwargs):
            return wrap(impl(unwrap(self), *[unwrap(a) for a in args],
                             **dict((k, unwrap(v)) for k, v in kwargs.items())))
        fresh_fn.__name__ = name
        fresh_fn.__doc__ = fn.__doc__
        fn = fresh_fn
    parsed = parse_signature(signature)
    if parsed is None:
        plain_fn = fn

        def unchecked_shape(self, *args, **kwargs):
            check_alive(self)
            return plain_fn(self, *args, **kwargs)
        unchecked_shape.__name__ = name
        unchecked_shape.__doc__ = fn.__doc__
        return unchecked_shape
    req, opt = parsed
    names = req + opt
    if len(set(names)) != len(names) or any(n in _KEYWORDS or not re.match(r'^[A-Za-z_]\w*$', n) for n in names):
        return fn
    cache = []

    def call(self, required, optional):
        args = list(required)
        given = list(optional)
        while given and given[-1] is MISSING:
            given.pop()
        for i, v in enumerate(given):
            if v is MISSING:
                if not cache:
                    cache.append(_impl_defaults(impl))
                defaults = cache[0]
                pos = len(required) + i
                if defaults is None or pos >= len(defaults) or defaults[pos] is _EMPTY:
                    raise TypeError('%s.%s: argument %s is required' % (key, name, opt[i]))
                v = defaults[pos]
            args.append(v)
        return fn(self, *args)

    shape = (tuple(req), tuple(opt))
    factory = _FACTORIES.get(shape)
    if factory is None:
        plain = ''.join(', %s' % n for n in req)
        lines = ['def _factory(_fn, _call, _MISSING, _check):',
                 '    def live_function(self%s%s):' % (plain, ''.join(', %s=_MISSING' % n for n in opt)),
                 '        _check(self)']
        if opt:
            lines.append('        if %s:' % ' and '.join('%s is _MISSING' % n for n in opt))
            lines.append('            return _fn(self%s)' % plain)
            lines.append('        return _call(self, (%s), (%s))' % (''.join('%s, ' % n for n in req),
                                                                    ''.join('%s, ' % n for n in opt)))
        else:
            lines.append('        return _fn(self%s)' % plain)
        lines.append('    return live_function')
        ns = {}
        exec(compile('\n'.join(lines) + '\n', '<Live function>', 'exec'), ns)
        factory = _FACTORIES[shape] = ns['_factory']
    out = factory(fn, call, MISSING, _check_call)
    out.__name__ = name
    out.__qualname__ = '%s.%s' % (key.split('.', 1)[1], name)
    out.__doc__ = '%s\n\n%s' % (signature, fn.__doc__ or '')
    out.__wrapped_impl__ = impl
    return out


try:
    import inspect as _inspect
    _EMPTY = _inspect.Parameter.empty
except ImportError:  # pragma: no cover
    _EMPTY = object()


_SKIP_PRIVATE = ('__dict__', '__weakref__', '__module__', '__qualname__', '__doc__')


def build_class(key, members, impl, bases, nested, fresh=False):
    """Make the fake class `key` (e.g. 'Track.Track') exposing exactly `members`."""
    parts = key.split('.')
    ns = {'__module__': 'Live.' + parts[0], '__doc__': 'Fake Live.%s (Roomtone simulator).' % key,
          '__qualname__': '.'.join(parts[1:]), '_key': key, '_dead': False}
    for klass in reversed(impl.__mro__):
        if klass is object:
            continue
        for n, v in vars(klass).items():
            if n.startswith('_') and n not in _SKIP_PRIVATE:
                ns[n] = v
    listeners = listener_props(members)
    for p in listeners:
        for fn in _make_listener_fns(key, p):
            ns[fn.__name__] = adapt(key, fn.__name__, fn, members[fn.__name__].get('signature'), fresh)
    for name, spec in members.items():
        kind = spec.get('kind')
        if kind == 'property':
            ns[name] = _make_property(key, name, spec, _impl_lookup(impl, name), fresh)
        elif kind == 'function':
            if name in ns and not name.startswith('_'):
                continue  # a generated listener function
            f = _impl_lookup(impl, name)
            if f is None:
                f = _make_stub(key, name)
            ns[name] = adapt(key, name, f, spec.get('signature'), fresh)
        elif kind == 'enum':
            ns[name] = make_enum(key + '.' + name, spec.get('values', []))
        elif kind == 'class':
            ns[name] = nested.get(name)
    return type(parts[-1], tuple(bases), ns)


def public_members(cls):
    return sorted(n for n in dir(cls) if not n.startswith('_'))
