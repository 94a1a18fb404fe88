"""The set mirror: stable ids, revs, listeners and changes.

Every Live object Roomtone shows gets an entity: a stable id (keyed by `_live_ptr`,
because real Live hands out a fresh Python wrapper on every access), the props last
sent, a rev, and the listeners registered for it. Listener callbacks only mark things
dirty (cheap, and Live forbids changing the set inside a notification).

What Live's main thread pays for, and when:

* Building the mirror of a set, and re-reading a list Live changed (tracks, scenes,
  clip slots, devices, a device's parameters), are jobs (jobs.py): one entity per step,
  run within the tick's time budget, resumed in the next tick. A fresh list grows as it
  is built, so browsers see the set fill in.
* A device's parameters are mirrored only while someone observes the device (a browser
  opened its panel: `observe()`), or for a short lease after a read of it; unobserved
  devices cost one entity and no parameter listeners at all. Released devices drop their
  parameters after RELEASE_GRACE_S.
* Props in HOT_PROPS (values that automation or a dragged control moves many times a
  second) are re-read at most every HOT_INTERVAL_S per entity and within HOT_BUDGET_S
  per tick; every other marked prop is re-read in the next tick, oldest mark first,
  while the tick's budget lasts (read_marked): a fan-out bigger than a tick (a preset
  renaming a plugin's 1,000 parameters) is read over several ticks. An entity marked
  again while it waits is still read once, with Live's value at that moment.
* Changes wait in `_pending`, one per entity (later changes merge into it, with the
  later rev), oldest first, until the tick sends them (take_changes): one entity's
  changes can neither be reordered nor lost, only merged.
* Ids carry the set's tag (`t12-k3q`): an id of another set (opened before, in another
  script instance) never names anything in this one.

Everything here runs on Live's main thread.
"""
from __future__ import absolute_import

import time

from .entity_props import *  # noqa: F401,F403  (getters, listener tables, helpers)
from .entity_props import (GETTERS, HOT_PROPS, KIND_ORDER, ID_PREFIX, SONG_LISTENERS, SONG_STRUCTURE,
                           SONG_NAMES, ORDER_GETTERS, TRACK_LISTENERS, TRACK_STRUCTURE, MIXER_LISTENERS,
                           MIXER_STRUCTURE, SCENE_GETTERS, SCENE_LISTENERS, CUE_GETTERS, CUE_LISTENERS,
                           SLOT_GETTERS, SLOT_LISTENERS, SLOT_STRUCTURE, CLIP_GETTERS, CLIP_LISTENERS,
                           DEVICE_GETTERS, DEVICE_LISTENERS, DEVICE_STRUCTURE, PARAM_GETTERS, PARAM_LISTENERS,
                           Entity, alive, live_ptr, track_prop_names, _CLEAN)
from .jobs import Jobs, URGENT, NORMAL, LATER, ignore

HOT_INTERVAL_S = 0.05
HOT_BUDGET_S = 0.0015
MIN_READS = 16             # marked entities read per tick whatever the clock says
RELEASE_GRACE_S = 10.0
LEASE_S = 15.0
_perf = getattr(time, 'perf_counter', time.time)

# (entity kind, list) -> the props of the entity that show the list
LIST_PROPS = {
    'tracks': (), 'returns': (), 'scenes': (), 'cues': (),
    'devices': ('devices',), 'slots': ('clipSlots',), 'clip': ('hasClip', 'clipId', 'state'),
    'params': ('params', 'macros'),
}
TRACK_KINDS = ('track', 'return', 'master')


SCENE_NAMES = tuple(SCENE_GETTERS)
CUE_NAMES = tuple(CUE_GETTERS)
SLOT_NAMES = tuple(SLOT_GETTERS)
CLIP_NAMES = tuple(CLIP_GETTERS)
DEVICE_NAMES = tuple(DEVICE_GETTERS)
PARAM_NAMES = tuple(PARAM_GETTERS)
STATE = frozenset(('state',))
_NAMESETS = {}


def _names(names):
    """One shared frozenset per distinct set of prop names."""
    key = tuple(names)
    fs = _NAMESETS.get(key)
    if fs is None:
        fs = _NAMESETS[key] = frozenset(names)
    return fs


def set_tag(epoch):
    """The three characters every id of this script instance ends with."""
    return (epoch or '000')[-3:]


class Mirror(object):
    def __init__(self, song, epoch, log=None, jobs=None, clock=None):
        self.song = song
        self.epoch = epoch
        self.tag = set_tag(epoch)
        self._log = log or (lambda msg: None)
        self.jobs = jobs if jobs is not None else Jobs()
        self.clock = clock or _perf
        self._counter = 0
        self._entities = {}     # id -> Entity
        self._ids = {}          # (cat, ptr) -> id
        self._next = {}         # prefix -> next number
        self._dirty = {}        # id -> set of prop names, or None for all
        self._hot = {}          # id -> set of HOT_PROPS names, re-read at a bounded rate
        self._hot_at = {}       # id -> when its hot props were last read
        self._struct = set()    # (id, what) lists Live changed
        self._pending = {}      # id -> the change waiting to be sent (oldest first)
        self._touched = None    # ids changed while a command ran (start_watching_changes)
        self._observed = {}     # device id -> None (wanted) or when to release it
        self._again = set()     # list jobs to run once more when they end
        self._poll_cursor = 0
        self._poll_groups = []
        self.song_entity = None
        self.order_entity = None
        self.master_entity = None
        self.listener_count = 0
        self.notifications = 0
        self.started_at = None
        self.complete_at = None

    # ---- ids and lookup ----------------------------------------------------------

    def next_rev(self):
        self._counter += 1
        return '%s.%d' % (self.epoch, self._counter)

    def get(self, eid):
        if not isinstance(eid, str):
            return None
        return self._entities.get(eid)

    def id_of(self, cat, obj):
        return self._ids.get((cat, live_ptr(obj)))

    def obj_of(self, eid):
        e = self._entities.get(eid)
        return e.obj if e is not None else None

    def parent_of(self, eid):
        e = self._entities.get(eid)
        return e.parent if e is not None else None

    def entities(self):
        return self._entities.values()

    def __len__(self):
        return len(self._entities)

    def _new_id(self, cat):
        prefix = ID_PREFIX[cat]
        n = self._next.get(prefix, 0) + 1
        self._next[prefix] = n
        return '%s%d-%s' % (prefix, n, self.tag)

    def foreign(self, eid):
        """True for an id of another set (it carries another set's tag)."""
        return isinstance(eid, str) and '-' in eid and eid.rsplit('-', 1)[1] != self.tag

    # ---- building -----------------------------------------------------------------

    def build(self):
        """Starts the mirror: the song, the master and the order at once, everything
        else as jobs (run them with `work()`, or `build_now()` to finish at once)."""
        self.started_at = self.clock()
        song = self.song
        se = Entity('song', 'song', song, 'song', None)
        self.song_entity = se
        self._entities['song'] = se
        shared = self._entity_cb(se)
        for prop, names in SONG_LISTENERS:
            self._listen(se, song, prop, names, shared)
        for prop, what in SONG_STRUCTURE:
            self._listen_struct(se, song, prop, what)
        master = song.master_track
        me = Entity('master', 'master', master, 'track', None)
        self.master_entity = me
        self._entities['master'] = me
        self._ids[('track', me.ptr)] = 'master'
        self._setup_track(me)
        # the master's crossfader is a song prop
        self._listen(se, master.mixer_device.crossfader, 'value', ('crossfader',))
        se.names = SONG_NAMES
        oe = Entity('order', 'order', None, 'order', None)
        oe.names = tuple(ORDER_GETTERS)
        self.order_entity = oe
        self._entities['order'] = oe
        for what in ('tracks', 'returns', 'scenes', 'cues'):
            se.children[what] = []
            self.schedule('song', what, NORMAL)
        self._refresh(se, None)
        self._refresh(me, None)
        self._refresh(oe, None)
        self._pending = {}   # the snapshot carries the initial state

    @property
    def building(self):
        for key in self.jobs.keys():
            if key[0] == 'sync' and key[2] != 'params':
                return True
        return False

    def check_complete(self):
        """Notes when the mirror first holds the whole set (no list left to read)."""
        if self.complete_at is None and self.started_at is not None and not self.building:
            self.complete_at = self.clock()
        return self.complete_at is not None

    def build_now(self):
        """Runs every pending job to its end (tests, and tools outside Live)."""
        while len(self.jobs):
            self.jobs.run(float('inf'))
        self.reconcile()
        while len(self.jobs):
            self.jobs.run(float('inf'))
        self.check_complete()

    # ---- listeners -----------------------------------------------------------------

    def _add_listener(self, ent, obj, prop, cb):
        add = getattr(obj, 'add_%s_listener' % prop, None)
        if add is None:
            return False   # this Live (or this object) lacks the listener
        try:
            add(cb)
        except Exception as exc:
            self._log('Roomtone: cannot listen to %s.%s: %r' % (ent.id, prop, exc))
            return False
        # flat (obj, prop, cb) triples: no tuple per listener
        ent.listeners.extend((obj, prop, cb))
        self.listener_count += 1
        return True

    # Listener callbacks are functions whose defaults carry what they mark, and one
    # entity shares one callback for all its props except the hot ones: a big set has
    # tens of thousands of listeners, and every object Python's garbage collector
    # tracks lengthens each full collection, which runs on Live's main thread. A shared
    # callback marks the whole entity: a name change re-reads a dozen props, which is
    # cheap next to a collection that has to walk a closure and its cells per listener.
    def _listen(self, ent, obj, prop, names, shared=None):
        names = _names(names)
        if shared is not None and not HOT_PROPS.issuperset(names):
            return self._add_listener(ent, obj, prop, shared)

        def cb(_m=self, _e=ent.id, _n=names):
            _m.notifications += 1
            _m.mark(_e, _n)
        return self._add_listener(ent, obj, prop, cb)

    def _entity_cb(self, ent):
        def cb(_m=self, _e=ent.id):
            _m.notifications += 1
            _m.mark(_e, None)
        return cb

    def _listen_struct(self, ent, obj, prop, what):
        def cb(_m=self, _k=(ent.id, what)):
            _m.notifications += 1
            _m._struct.add(_k)
        return self._add_listener(ent, obj, prop, cb)

    def _remove_listeners(self, ent, only=None):
        keep = []
        items = ent.listeners
        for i in range(0, len(items), 3):
            obj, prop, cb = items[i], items[i + 1], items[i + 2]
            if only is not None and id(cb) not in only:
                keep.extend((obj, prop, cb))
                continue
            try:
                has = getattr(obj, '%s_has_listener' % prop)
                if has(cb):
                    getattr(obj, 'remove_%s_listener' % prop)(cb)
            except Exception:
                pass  # the object is gone in Live; so are its listeners
            self.listener_count -= 1
        ent.listeners = keep

    def our_listeners(self):
        """(obj, prop, callback) of every listener registered now (tests count them)."""
        out = []
        for e in self._entities.values():
            items = e.listeners
            for i in range(0, len(items), 3):
                out.append((items[i], items[i + 1], items[i + 2]))
        return out

    # ---- dirtiness --------------------------------------------------------------------

    def mark(self, eid, names=None):
        if names is not None and eid not in self._dirty and HOT_PROPS.issuperset(names):
            cur = self._hot.get(eid)
            if cur is None:
                self._hot[eid] = set(names)
            else:
                cur.update(names)
            return
        d = self._dirty
        if names is None:
            d[eid] = None
        elif eid in d:
            cur = d[eid]
            if cur is not None:
                cur.update(names)
        else:
            d[eid] = set(names)

    def mark_structure(self, eid, what):
        self._struct.add((eid, what))

    def is_dirty(self, eid):
        return eid in self._dirty or eid in self._hot

    def has_work(self):
        return bool(self._dirty or self._hot or self._struct or self._pending)

    # ---- entity creation and removal ----------------------------------------------

    def _register(self, kind, cat, obj, parent):
        ptr = live_ptr(obj)
        eid = self._ids.get((cat, ptr))
        if eid is not None and eid in self._entities:
            old = self._entities[eid]
            if alive(old.obj):
                return old, False
            # Live freed the object we knew and a new one got its address (delete and
            # create within one tick): the old entity and its listeners go, the new one
            # gets a new id.
            self._destroy(eid)
        eid = self._new_id(cat)
        ent = Entity(kind, eid, obj, cat, parent)
        self._entities[eid] = ent
        self._ids[(cat, ptr)] = eid
        return ent, True

    def _created(self, ent):
        self._refresh(ent, None, created=True)

    def _setup_track(self, ent):
        obj = ent.obj
        ent.names = track_prop_names(ent.kind, obj)
        names = ent.names
        shared = self._entity_cb(ent)
        for prop, props in TRACK_LISTENERS:
            props = tuple(p for p in props if p in names)
            if props:
                self._listen(ent, obj, prop, props, shared)
        mixer = obj.mixer_device
        self._listen(ent, mixer.volume, 'value', ('volume',))
        self._listen(ent, mixer.panning, 'value', ('pan',))
        if 'crossfadeAssign' in names:
            for prop, props in MIXER_LISTENERS:
                self._listen(ent, mixer, prop, props, shared)
        if 'sends' in names:
            for prop, what in MIXER_STRUCTURE:
                self._listen_struct(ent, mixer, prop, what)
            ent.extra['send_listeners'] = []
            self._relisten_sends(ent)
        for prop, what in TRACK_STRUCTURE:
            if what == 'slots' and 'clipSlots' not in names:
                continue
            self._listen_struct(ent, obj, prop, what)
            ent.children[what] = []
        # the clip grid first, then the devices
        if 'clipSlots' in names:
            self.schedule(ent.id, 'slots', NORMAL)
        self.schedule(ent.id, 'devices', NORMAL)
        if 'fold' in names:
            self._poll_groups.append(ent.id)   # fold_state has no listener

    def _relisten_sends(self, ent):
        old = ent.extra.get('send_listeners') or []
        if old:
            self._remove_listeners(ent, only=set(id(cb) for cb in old))
        n_before = len(ent.listeners)
        for p in ent.obj.mixer_device.sends:
            self._listen(ent, p, 'value', ('sends',))
        ent.extra['send_listeners'] = ent.listeners[n_before + 2::3]

    def _make_track(self, obj, kind, parent='song'):
        ent, new = self._register(kind, 'track', obj, parent)
        if new:
            self._setup_track(ent)
            self._created(ent)
        return ent, new

    def _make_scene(self, obj, parent='song'):
        ent, new = self._register('scene', 'scene', obj, 'song')
        if new:
            ent.names = SCENE_NAMES
            shared = self._entity_cb(ent)
            for prop, names in SCENE_LISTENERS:
                self._listen(ent, obj, prop, names, shared)
            self._created(ent)
        return ent, new

    def _make_cue(self, obj, parent='song'):
        ent, new = self._register('cue_point', 'cue_point', obj, 'song')
        if new:
            ent.names = CUE_NAMES
            shared = self._entity_cb(ent)
            for prop, names in CUE_LISTENERS:
                self._listen(ent, obj, prop, names, shared)
            self._created(ent)
        return ent, new

    def _make_slot(self, obj, track_id):
        ent, new = self._register('clip_slot', 'clip_slot', obj, track_id)
        if new:
            ent.names = SLOT_NAMES
            shared = self._entity_cb(ent)
            for prop, names in SLOT_LISTENERS:
                if prop == 'is_triggered':
                    self._add_listener(ent, obj, prop, self._slot_trigger_cb(ent.id))
                else:
                    self._listen(ent, obj, prop, names, shared)
            for prop, what in SLOT_STRUCTURE:
                self._listen_struct(ent, obj, prop, what)
            ent.children['clip'] = []
            for _ in self._sync(ent, 'clip'):   # its clip is part of the slot: at once
                pass
            self._created(ent)
        return ent, new

    def _slot_trigger_cb(self, slot_id):
        def cb(_m=self, _s=slot_id):
            _m.notifications += 1
            _m.mark(_s, STATE)
            e = _m._entities.get(_s)
            if e is not None:
                for cid in e.children.get('clip', ()):
                    _m.mark(cid, STATE)
        return cb

    def _make_clip(self, obj, slot_id):
        ent, new = self._register('clip', 'clip', obj, slot_id)
        if new:
            ent.names = CLIP_NAMES
            shared = self._entity_cb(ent)

            def status_cb(_m=self, _ids=(ent.id, slot_id)):
                _m.notifications += 1
                _m.mark(_ids[0], STATE)
                _m.mark(_ids[1], STATE)
            for prop, names in CLIP_LISTENERS:
                if prop in ('playing_status', 'is_recording'):
                    self._add_listener(ent, obj, prop, status_cb)
                else:
                    self._listen(ent, obj, prop, names, shared)
            self._created(ent)
        return ent, new

    def _make_device(self, obj, track_id):
        ent, new = self._register('device', 'device', obj, track_id)
        if new:
            ent.names = DEVICE_NAMES
            shared = self._entity_cb(ent)
            for prop, names in DEVICE_LISTENERS:
                self._listen(ent, obj, prop, names, shared)
            for prop, what in DEVICE_STRUCTURE:
                self._listen_struct(ent, obj, prop, what)
            ent.children['params'] = []
            if ent.id in self._observed:
                self.schedule(ent.id, 'params', URGENT)
            self._created(ent)
        return ent, new

    def _make_param(self, obj, device_id):
        ent, new = self._register('parameter', 'parameter', obj, device_id)
        if new:
            ent.names = PARAM_NAMES
            shared = self._entity_cb(ent)
            for prop, names in PARAM_LISTENERS:
                self._listen(ent, obj, prop, names, shared)
            self._created(ent)
        return ent, new

    def _destroy(self, eid):
        ent = self._entities.pop(eid, None)
        if ent is None:
            return
        for ids in ent.children.values():
            for cid in list(ids):
                self._destroy(cid)
        self._remove_listeners(ent)
        if self._ids.get((ent.cat, ent.ptr)) == eid:
            del self._ids[(ent.cat, ent.ptr)]
        self._dirty.pop(eid, None)
        self._hot.pop(eid, None)
        self._hot_at.pop(eid, None)
        self._observed.pop(eid, None)
        self._pending[eid] = {'kind': ent.kind, 'id': eid, 'removed': True}
        if self._touched is not None:
            self._touched.add(eid)
        if eid in self._poll_groups:
            self._poll_groups.remove(eid)
        ent.obj = None

    # ---- reading Live's lists, as jobs ----------------------------------------------

    def _live_items(self, ent, what):
        obj = ent.obj
        if ent.kind == 'song':
            song = self.song
            if what == 'tracks':
                return song.tracks
            if what == 'returns':
                return song.return_tracks
            if what == 'scenes':
                return song.scenes
            return song.cue_points
        if what == 'devices':
            return obj.devices
        if what == 'slots':
            return obj.clip_slots
        if what == 'clip':
            return [obj.clip] if obj.has_clip else []
        if what == 'params':
            return obj.parameters if ent.id in self._observed else ()
        return ()

    def _make_child(self, ent, what, obj):
        """The child entity for `obj` (and whether it is new). When Live refuses a read
        half way (the object was deleted meanwhile), nothing of it stays behind."""
        before = self._counter_of_ids()
        try:
            return self._make_child_now(ent, what, obj)
        except Exception:
            for eid in self._ids_since(before):
                self._destroy(eid)
            raise

    def _counter_of_ids(self):
        return dict(self._next)

    def _ids_since(self, before):
        out = []
        for prefix, n in self._next.items():
            for i in range(before.get(prefix, 0) + 1, n + 1):
                eid = '%s%d-%s' % (prefix, i, self.tag)
                if eid in self._entities:
                    out.append(eid)
        return out

    def _make_child_now(self, ent, what, obj):
        if ent.kind == 'song':
            if what == 'tracks':
                return self._make_track(obj, 'track')
            if what == 'returns':
                return self._make_track(obj, 'return')
            if what == 'scenes':
                return self._make_scene(obj)
            return self._make_cue(obj)
        if what == 'devices':
            return self._make_device(obj, ent.id)
        if what == 'slots':
            return self._make_slot(obj, ent.id)
        if what == 'clip':
            return self._make_clip(obj, ent.id)
        return self._make_param(obj, ent.id)

    def schedule(self, eid, what, priority=URGENT):
        """Re-reads list `what` of entity `eid` as a job (at most one waiting per list)."""
        if what == 'sends':
            ent = self._entities.get(eid)
            # a track Live deleted a moment ago is still listed until its list is read
            # again (which destroys it): it has no sends to listen to
            if ent is not None and 'send_listeners' in ent.extra and alive(ent.obj):
                self._relisten_sends(ent)
                self.mark(eid, ('sends',))
            return
        key = ('sync', eid, what)
        if self.jobs.has(key):
            # one is under way and may have read Live's list before this change: read it
            # once more when it is done
            self._again.add(key)
            return
        self.jobs.add(key, self._sync(self._entities.get(eid), what, key), priority)

    def _sync(self, ent, what, key=None):
        """One list brought in line with Live's, one new entity per step. A fresh list
        (being built) grows as it goes; a list that changed is swapped in at the end."""
        if ent is None or self._entities.get(ent.id) is not ent:
            return
        if ent.obj is not None and not alive(ent.obj):
            return   # deleted in Live since it was listed: its parent's list drops it
        eid = ent.id
        old = list(ent.children.get(what, ()))
        fresh = not old
        made = []
        gone = []
        done = False
        try:
            items = self._live_items(ent, what)
            new = []
            quiet = 0
            for obj in items:
                try:
                    child, created = self._make_child(ent, what, obj)
                except Exception as exc:   # one odd object must not hide the rest of the set
                    self._log('Roomtone: cannot mirror %r in %s.%s: %r' % (obj, eid, what, exc))
                    continue
                new.append(child.id)
                if created:
                    made.append(child.id)
                    if fresh:
                        ent.children[what] = list(new)
                        self._list_changed(ent, what, partial=True)
                    yield
                else:
                    quiet += 1
                    if quiet % 32 == 0:
                        yield
                if self._entities.get(eid) is not ent:
                    return
            done = True
            if new != ent.children.get(what):
                ent.children[what] = new
                keep = set(new)
                gone = [cid for cid in reversed(old) if cid not in keep]
                self._list_changed(ent, what)
                n = 0
                while gone:
                    self._destroy(gone.pop())
                    n += 1
                    if n % 32 == 0:
                        yield
            if key is not None and key in self._again:
                self._again.discard(key)
                self._struct.add((eid, what))   # the next reconcile reads it again
        finally:
            # an entity off Live's list never outlives the job, whatever stopped it (an
            # exception, the job closed): it would keep its listeners on a dead object
            for cid in gone:
                self._destroy(cid)
            if not done and made and (not fresh or self._entities.get(eid) is not ent):
                listed = set(ent.children.get(what, ())) if self._entities.get(eid) is ent else set()
                for cid in made:
                    if cid not in listed:
                        self._destroy(cid)

    def _list_changed(self, ent, what, partial=False):
        props = LIST_PROPS.get(what, ())
        if props:
            self.mark(ent.id, props)
        if ent.kind != 'song':
            return
        self.mark('order', None)
        if partial:
            return
        se = ent
        if what == 'tracks':
            # grouping and foldability follow structure; there is no listener for them
            for tid in se.children['tracks']:
                self.mark(tid, ('groupId', 'kind'))
        elif what == 'returns':
            for tid in se.children['tracks'] + se.children['returns'] + ['master']:
                self.schedule(tid, 'sends')
        elif what == 'scenes':
            for tid in se.children['tracks']:
                self.schedule(tid, 'slots')

    def reconcile(self):
        """Lists Live changed since the last tick become jobs (the most urgent kind)."""
        while self._struct:
            eid, what = self._struct.pop()
            if eid in self._entities:
                self.schedule(eid, what, URGENT)

    def sync_now(self, eid, what):
        """Brings one list in line at once (an action needs the new entity now)."""
        key = ('sync', eid, what)
        self._struct.discard((eid, what))
        self._again.discard(key)
        # A job under way may have read Live's list before the change the action just
        # made: let it end, then read the list as it is now.
        self.jobs.finish(key)
        for _ in self._sync(self._entities.get(eid), what):
            pass

    def work(self, deadline, clock=None):
        """Runs jobs until `deadline`; returns the steps run."""
        return self.jobs.run(deadline, clock or self.clock)

    # ---- observing devices ---------------------------------------------------------

    def observe(self, device_ids, now=None):
        """The devices someone looks at now (the agent's whole list): their parameters
        are mirrored; devices no longer on the list are released after a grace."""
        now = self.clock() if now is None else now
        wanted = set(d for d in device_ids if isinstance(d, str) and not self.foreign(d))
        for did in wanted:
            # kept also while the device is not mirrored yet (the set is still building)
            self._observed[did] = None
            ent = self._entities.get(did)
            if ent is not None and ent.kind == 'device' and not ent.children.get('params'):
                self.schedule(did, 'params', URGENT)
        for did, until in list(self._observed.items()):
            if did not in wanted and until is None:
                self._observed[did] = now + RELEASE_GRACE_S

    def lease(self, did, seconds=LEASE_S, now=None):
        """Observes one device for a while (a read of it), unless it is observed anyway."""
        now = self.clock() if now is None else now
        ent = self._entities.get(did)
        if ent is None or ent.kind != 'device':
            return
        until = self._observed.get(did, 0.0)
        if did not in self._observed or (until is not None and until < now + seconds):
            self._observed[did] = now + seconds
        if not ent.children.get('params'):
            self.schedule(did, 'params', URGENT)

    def observed(self):
        return sorted(self._observed)

    def release_due(self, now=None):
        """Devices whose grace or lease ran out drop their parameters (a job)."""
        now = self.clock() if now is None else now
        for did, until in list(self._observed.items()):
            if until is not None and now >= until:
                del self._observed[did]
                if did in self._entities:
                    self.schedule(did, 'params', LATER)

    # ---- props and revs ---------------------------------------------------------------

    def _refresh(self, ent, names, created=False):
        getters = GETTERS[ent.kind]
        props = ent.props
        changed = {}
        for name in (ent.names if names is None else names):
            if name not in ent.names:
                continue
            try:
                value = getters[name](self, ent)
            except Exception as exc:
                self._log('Roomtone: reading %s.%s failed: %r' % (ent.id, name, exc))
                continue
            if created or name not in props or props[name] != value or type(props[name]) is not type(value):
                changed[name] = value
        if not changed:
            return False
        props.update(changed)
        ent.rev = self.next_rev()
        if self._touched is not None:
            self._touched.add(ent.id)
        pend = self._pending.get(ent.id)
        if created or pend is None or pend.get('removed'):
            self._pending[ent.id] = {'kind': ent.kind, 'id': ent.id, 'rev': ent.rev,
                                     'props': dict(props) if created else changed}
        else:
            pend['rev'] = ent.rev
            pend['props'].update(changed)
        if ent.kind == 'track' and ('playingSlotIndex' in changed or 'firedSlotIndex' in changed):
            self._slot_index_moved(ent)
        return True

    def _slot_index_moved(self, te):
        # Slot playing_status listeners never fire (ableton-js #4, #25): the track's
        # playing/fired index also re-reads the slots it names.
        state = ('state',)
        slots = te.children.get('slots', ())
        for key in ('playingSlotIndex', 'firedSlotIndex'):
            for idx in (te.props.get(key), te.extra.get(key)):
                if isinstance(idx, int) and 0 <= idx < len(slots):
                    sid = slots[idx]
                    self.mark(sid, state)
                    se = self._entities.get(sid)
                    for cid in (se.children.get('clip', ()) if se is not None else ()):
                        self.mark(cid, state)
            te.extra[key] = te.props.get(key)

    def _take_marks(self, eid):
        """Everything marked for `eid`, dirty and hot: None (all) or a set of names."""
        names = self._dirty.pop(eid, _CLEAN)
        hot = self._hot.pop(eid, None)
        if hot is not None:
            self._hot_at[eid] = self.clock()
            if names is _CLEAN:
                names = set(hot)
            elif names is not None:
                names = names | hot
        return names

    def refresh_now(self, ent):
        """Bring one entity up to date (before a baseRev check or after a command)."""
        names = self._take_marks(ent.id)
        if names is not _CLEAN:
            self._refresh(ent, names)
        return ent

    def refresh_props(self, ent, names=None):
        """Re-read `names` (all when None) of one entity now."""
        pending = self._take_marks(ent.id)
        if names is not None and pending is not _CLEAN:
            names = None if pending is None else set(names) | pending
        self._refresh(ent, names)
        return ent

    def flush(self):
        """Re-reads everything marked (hot props at their bounded rate) and returns every
        change waiting (tests and tools; the tick uses read_marked and take_changes)."""
        self.read_marked()
        return self.take_changes()

    def read_marked(self, deadline=None, clock=None):
        """Re-reads what was marked, oldest mark first, until `deadline` (seconds of
        `clock`, the tick's wall clock by default) passes; hot props at their bounded rate. What is left stays marked and is
        read in a later tick: marks of one entity merge, so it is read once, with Live's
        latest value. At least MIN_READS entities are read, so a backlog always shrinks."""
        dirty = self._dirty
        clock = clock or _perf
        n = 0
        while dirty:
            if deadline is not None and n >= MIN_READS and clock() >= deadline:
                break
            eid = next(iter(dirty))
            names = dirty.pop(eid)
            n += 1
            ent = self._entities.get(eid)
            if ent is None:
                continue
            hot = self._hot.pop(eid, None)
            if hot is not None:
                self._hot_at[eid] = self.clock()
                if names is not None:
                    names = names | hot
            self._refresh(ent, names)
        if self._hot and (deadline is None or n < MIN_READS or clock() < deadline):
            self._flush_hot(deadline, clock)
        return n

    def marked(self):
        """How many entities wait to be re-read (hot ones not yet due included)."""
        return len(self._dirty) + len(self._hot)

    def pending(self):
        """How many changes wait to be sent."""
        return len(self._pending)

    def take_changes(self, limit=None, first=()):
        """Pops waiting changes, one per entity (every change to it since it was last sent,
        merged, with its last rev): those of `first` (ids whose change must go out now),
        then the oldest, up to `limit` in all (None: every one)."""
        pending = self._pending
        out = [pending.pop(eid) for eid in first if eid in pending]
        if limit is None:
            out.extend(pending.values())
            pending.clear()
            return out
        while pending and len(out) < limit:
            eid = next(iter(pending))
            out.append(pending.pop(eid))
        return out

    def start_watching_changes(self):
        """From now until stop_watching_changes(), note every entity whose change waits to
        be sent (a command's effects go out in its own tick, before its result)."""
        self._touched = set()

    def stop_watching_changes(self):
        touched = self._touched or set()
        self._touched = None
        return touched

    def _flush_hot(self, deadline=None, budget=None):
        clock = self.clock
        now = clock()
        budget = budget or _perf
        end = budget() + HOT_BUDGET_S
        if deadline is not None and deadline < end:
            end = deadline
        due = now - HOT_INTERVAL_S
        hot_at = self._hot_at
        for eid in list(self._hot):
            if hot_at.get(eid, 0.0) > due:
                continue
            names = self._hot.pop(eid)
            ent = self._entities.get(eid)
            if ent is None:
                continue
            hot_at[eid] = now
            self._refresh(ent, names)
            if budget() > end:
                break

    def poll(self, tick):
        """Members with no listener: undo state (every 10th tick), one group's fold per tick."""
        if tick % 10 == 0:
            self.mark('song', ('canUndo', 'canRedo'))
        if self._poll_groups:
            self._poll_cursor = (self._poll_cursor + 1) % len(self._poll_groups)
            self.mark(self._poll_groups[self._poll_cursor], ('fold',))

    # ---- snapshot and teardown ---------------------------------------------------------

    def snapshot_ids(self):
        """Every id, in KIND_ORDER (parameters and cue points last)."""
        by_kind = {}
        for e in self._entities.values():
            by_kind.setdefault(e.kind, []).append(e.id)
        out = []
        for kind in KIND_ORDER:
            out.extend(by_kind.get(kind, ()))
        return out

    def snapshot_entity(self, eid):
        e = self._entities.get(eid)
        if e is None:
            return None
        return {'kind': e.kind, 'id': e.id, 'rev': e.rev, 'props': dict(e.props)}

    def snapshot_entities(self):
        return [self.snapshot_entity(eid) for eid in self.snapshot_ids()]

    def entity_dict(self, ent):
        d = dict(ent.props)
        d['id'] = ent.id
        d['rev'] = ent.rev
        return d

    def teardown(self):
        """Removes every listener and lets go of every Live object."""
        self.jobs.clear()
        for e in list(self._entities.values()):
            self._remove_listeners(e)
            e.obj = None
        self._entities = {}
        self._ids = {}
        self._dirty = {}
        self._hot = {}
        self._hot_at = {}
        self._struct = set()
        self._pending = {}
        self._poll_groups = []
        self._observed = {}
        self.song = None
        self.song_entity = None
        self.master_entity = None
        self.order_entity = None

    def forget_owner(self):
        """Drops the script's log (a bound method: a reference cycle) once it is closed."""
        self._log = ignore

    # ---- helpers for actions -------------------------------------------------------------

    def index_in_parent(self, ent, what):
        """Index of `ent` in its parent's Live list, checked against `_live_ptr`."""
        parent = self._entities.get(ent.parent) if ent.parent else None
        if parent is None:
            return -1
        ids = parent.children.get(what, ())
        try:
            return ids.index(ent.id)
        except ValueError:
            return -1
