"""Every Live member the Remote Script touches exists in Live 11.0.0, 12.0.5 and 12.3.6,
or is guarded where a version lacks it."""
import ast
import glob
import json
import os
import re
import sys
import unittest

from . import simpath

from Roomtone import live_members, mirror

VERSIONS = ('11.0.0', '12.0.5', '12.3.6')
PKG = os.path.join(simpath.ROOT, 'Roomtone')


def listing(version):
    with open(os.path.join(simpath.SIM, 'live-api', 'live-%s.json' % version)) as f:
        return json.load(f)['classes']


LISTINGS = dict((v, listing(v)) for v in VERSIONS)


def parse37(text, filename='<src>'):
    """Parse with the 3.7 grammar (native on 3.7, feature_version on 3.8+)."""
    if sys.version_info >= (3, 8):
        return ast.parse(text, filename=filename, feature_version=(3, 7))
    return ast.parse(text, filename=filename)


def str_const(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if hasattr(ast, 'Str') and isinstance(node, getattr(ast, 'Str')):
        return node.s
    return None


def source_files():
    return sorted(glob.glob(os.path.join(PKG, '*.py')))


def all_source():
    out = []
    for path in source_files():
        with open(path) as f:
            out.append(f.read())
    return '\n'.join(out)


class LiveMembersTest(unittest.TestCase):
    def test_table_members_exist_or_are_guarded(self):
        missing = {}
        for cls, members in live_members.USED.items():
            for m in members:
                have = tuple(v for v in VERSIONS if m in LISTINGS[v].get(cls, {}))
                if have != VERSIONS:
                    missing[(cls, m)] = have
        self.assertEqual(missing, live_members.GUARDED,
                         'members missing in some version must be exactly the GUARDED table')

    def test_guarded_members_are_guarded_in_source(self):
        src = all_source()
        for (cls, m) in live_members.GUARDED:
            pat = r"(hasattr|getattr)\([^()]*'%s'" % re.escape(m)
            self.assertRegex(src, pat, '%s.%s is used without hasattr/getattr guard' % (cls, m))

    def test_every_live_named_attribute_in_source_is_in_the_table(self):
        live_names = set()
        for v in VERSIONS:
            for members in LISTINGS[v].values():
                live_names.update(members)
        table = set()
        for members in live_members.USED.values():
            table.update(members)
        unlisted = {}
        for path in source_files():
            if path.endswith('live_members.py'):
                continue
            with open(path) as f:
                tree = parse37(f.read(), path)
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Attribute):
                    names.append(node.attr)
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                        and node.func.id in ('hasattr', 'getattr', 'setattr') and len(node.args) > 1
                        and str_const(node.args[1]) is not None):
                    names.append(str_const(node.args[1]))
                for n in names:
                    if n in live_names and n not in table and n not in live_members.NOT_LIVE:
                        unlisted.setdefault(n, os.path.basename(path))
        self.assertEqual(unlisted, {}, 'Live members used in code but missing from live_members.USED')

    def test_setattr_targets_are_settable(self):
        # handlers assign these; each must be settable in every version that has it
        assigned = {
            'Song.Song': ('tempo', 'signature_numerator', 'signature_denominator', 'metronome', 'loop',
                          'loop_start', 'loop_length', 'record_mode', 'arrangement_overdub',
                          'session_record', 'current_song_time'),
            'Song.Song.View': ('selected_track',),
            'Track.Track': ('name', 'color', 'fold_state', 'arm', 'mute', 'solo', 'current_monitoring_state'),
            'MixerDevice.MixerDevice': ('crossfade_assign',),
            'DeviceParameter.DeviceParameter': ('value',),
            'Clip.Clip': ('name', 'color', 'looping', 'loop_start', 'loop_end'),
            'Scene.Scene': ('name', 'color', 'tempo', 'tempo_enabled'),
            'Song.CuePoint': ('name',),
        }
        for cls, members in assigned.items():
            for m in members:
                for v in VERSIONS:
                    spec = LISTINGS[v][cls].get(m)
                    if spec is None:
                        self.assertIn((cls, m), live_members.GUARDED)
                        continue
                    if (cls, m) in live_members.SETTABLE_GUARDED:
                        self.assertEqual(bool(spec.get('settable')), v in live_members.SETTABLE_GUARDED[(cls, m)],
                                         '%s.%s settable in %s' % (cls, m, v))
                        continue
                    self.assertTrue(spec.get('settable'), '%s.%s is read-only in Live %s' % (cls, m, v))

    def test_listeners_exist_or_are_guarded(self):
        missing = {}
        for cls, props in mirror.LISTENED.items():
            for p in props:
                names = ('add_%s_listener' % p, 'remove_%s_listener' % p, '%s_has_listener' % p)
                have = tuple(v for v in VERSIONS
                             if all(n in LISTINGS[v].get(cls, {}) for n in names))
                if have != VERSIONS:
                    missing[(cls, p)] = have
        self.assertEqual(missing, live_members.LISTENERS_GUARDED)
        # and the mirror reaches every listener through a guarded getattr
        with open(os.path.join(PKG, 'mirror.py')) as f:
            self.assertIn("getattr(obj, 'add_%s_listener' % prop, None)", f.read())

    def test_no_listener_for_members_live_lacks(self):
        # Clip has no length listener (AbletonOSC #49); fold_state and can_undo have none either
        for v in VERSIONS:
            self.assertNotIn('add_length_listener', LISTINGS[v]['Clip.Clip'])
            self.assertNotIn('add_fold_state_listener', LISTINGS[v]['Track.Track'])
        self.assertNotIn('length', mirror.LISTENED['Clip.Clip'])
        self.assertNotIn('fold_state', mirror.LISTENED['Track.Track'])

    def test_sources_parse_as_python_37(self):
        for path in source_files():
            with open(path) as f:
                parse37(f.read(), path)
            with open(path) as f:
                text = f.read()
            for banned in ('import typing', 'cached_property', 'math.prod', ':=', 'match '):
                if banned == 'match ':
                    self.assertIsNone(re.search(r'^\s*match\s.*:\s*$', text, re.M), path)
                else:
                    self.assertNotIn(banned, text, '%s uses %s' % (path, banned))


if __name__ == '__main__':
    unittest.main()


class PackageHygieneTest(unittest.TestCase):
    def _imports(self):
        out = {}
        for path in source_files():
            with open(path) as f:
                tree = parse37(f.read(), path)
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    for a in node.names:
                        out.setdefault(a.name.split('.')[0], os.path.basename(path))
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    out.setdefault(node.module.split('.')[0], os.path.basename(path))
        return out

    def test_stdlib_only_and_nothing_from_the_simulator(self):
        imports = self._imports()
        self.assertNotIn('livesim', imports)
        stdlib = getattr(sys, 'stdlib_module_names', None)
        if stdlib is None:   # Python < 3.10: a fixed list of what the package may use
            stdlib = frozenset(('__future__', 'collections', 'errno', 'json', 'math', 'os', 'selectors',
                                'socket', 'sys', 'threading', 'time', 'traceback'))
        # Live itself, and the bank tables that ship with Live's own MIDI Remote Scripts
        # (imported inside a try: device_banks.py works without them).
        live = ('Live', '_Generic', 'ableton')
        foreign = dict((m, f) for m, f in imports.items() if m not in stdlib and m not in live)
        self.assertEqual(foreign, {})

    def test_defaults_without_environment(self):
        from Roomtone import script
        saved = dict((k, os.environ.pop(k)) for k in ('ROOMTONE_SCRIPT_PORT', 'ROOMTONE_SCRIPT_HOST')
                     if k in os.environ)
        try:
            self.assertEqual(script._env_port(), 47800)
            self.assertEqual(script._env_host(), '127.0.0.1')
            os.environ['ROOMTONE_SCRIPT_PORT'] = 'abc'
            self.assertEqual(script._env_port(), 47800)
            os.environ['ROOMTONE_SCRIPT_PORT'] = '70000'
            self.assertEqual(script._env_port(), 47800)
            os.environ['ROOMTONE_SCRIPT_PORT'] = '0'
            self.assertEqual(script._env_port(), 0)
            os.environ['ROOMTONE_SCRIPT_HOST'] = '192.168.1.5'
            self.assertEqual(script._env_host(), '127.0.0.1')
        finally:
            for k in ('ROOMTONE_SCRIPT_PORT', 'ROOMTONE_SCRIPT_HOST'):
                os.environ.pop(k, None)
            os.environ.update(saved)
