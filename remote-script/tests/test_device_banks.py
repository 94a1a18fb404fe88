"""device_banks: Live's own bank tables (Live 12's v3 definitions, `_Generic.Devices`),
Max for Live banks, and the fallback, against stand-in devices."""
import sys
import types
import unittest

from . import simpath  # noqa: F401  (sys.path)

from Roomtone import device_banks as DB


class Param(object):
    def __init__(self, name, original=None):
        self.name = name
        self.original_name = original or name


class Device(object):
    def __init__(self, class_name, names, **extra):
        self.class_name = class_name
        self.parameters = [Param('Device On')] + [Param(n) for n in names]
        for k, v in extra.items():
            setattr(self, k, v)


def ids(device):
    table = dict((id(p), 'p%d' % i) for i, p in enumerate(device.parameters))
    return lambda p: table.get(id(p))


class Named(object):
    def __init__(self, name):
        self.name = name


class DeviceBanksTest(unittest.TestCase):
    def setUp(self):
        self.saved = dict((k, sys.modules.get(k)) for k in (
            'ableton', 'ableton.v3', 'ableton.v3.control_surface', 'ableton.v3.control_surface.default_bank_definitions'))
        DB.reset_tables()

    def tearDown(self):
        for k, v in self.saved.items():
            if v is None:
                sys.modules.pop(k, None)
            else:
                sys.modules[k] = v
        DB.reset_tables()

    def install_v3(self, table):
        mod = types.ModuleType('ableton.v3.control_surface.default_bank_definitions')
        mod.BANK_DEFINITIONS = table
        for name in ('ableton', 'ableton.v3', 'ableton.v3.control_surface'):
            sys.modules[name] = types.ModuleType(name)
        sys.modules['ableton.v3.control_surface.default_bank_definitions'] = mod

    def test_live_12_definitions_come_first_and_name_parameters_by_original_name(self):
        self.install_v3({'Looper': {'Main': {'Parameters': ('Speed', Named('Feedback'), '', 'Missing')}}})
        dev = Device('Looper', ['Feedback', 'Speed'])
        dev.parameters[2].name = 'Tempo (renamed by a macro)'
        source, banks = DB.device_banks(dev, ids(dev))
        self.assertEqual(source, 'live')
        self.assertEqual(banks, [{'name': 'Main', 'params': ['p2', 'p1', None, None, None, None, None, None]}])

    def test_generic_tables_are_used_when_live_12_has_none_for_the_class(self):
        self.install_v3({})
        dev = Device('Operator', ['Algorithm', 'Osc-A Level', 'Filter Freq'])
        source, banks = DB.device_banks(dev, ids(dev))
        self.assertEqual(source, 'live')   # the simulator's stand-in for _Generic.Devices
        self.assertEqual(banks[0]['name'], 'Oscillators')
        self.assertEqual(banks[0]['params'][:2], ['p1', 'p2'])
        self.assertEqual(banks[1]['params'][1], 'p3')

    def test_a_table_for_another_device_of_that_class_falls_back(self):
        dev = Device('Operator', ['Nothing', 'Matches'])
        source, banks = DB.device_banks(dev, ids(dev))
        self.assertEqual(source, 'default')
        self.assertEqual(banks, [{'name': 'Parameters 1\u20132', 'params': ['p1', 'p2'] + [None] * 6}])

    def test_max_for_live_devices_name_their_own_banks(self):
        dev = Device('MxDeviceAudioEffect', ['A', 'B', 'C'])
        dev.get_bank_count = lambda: 2
        dev.get_bank_name = lambda i: ['Tone', 'Space'][i]
        dev.get_bank_parameters = lambda i: [[1, 2, -1], [3]][i]
        source, banks = DB.device_banks(dev, ids(dev))
        self.assertEqual(source, 'max')
        self.assertEqual([b['name'] for b in banks], ['Tone', 'Space'])
        self.assertEqual(banks[0]['params'][:3], ['p1', 'p2', None])

    def test_racks_without_a_table_show_their_macros_first_then_eight_at_a_time(self):
        dev = Device('AudioEffectGroupDevice', ['Macro %d' % i for i in range(1, 17)] + ['Chain Selector'])
        source, banks = DB.device_banks(dev, ids(dev), macro_count=16)
        self.assertEqual(source, 'default')
        self.assertEqual([b['name'] for b in banks], ['Macros 1', 'Macros 2', 'Parameters 1\u20131'])
        self.assertEqual(banks[1]['params'][0], 'p9')

    def test_banks_with_no_mirrored_parameter_are_left_out(self):
        dev = Device('Unknown', ['A'])
        source, banks = DB.device_banks(dev, lambda p: None)
        self.assertEqual(banks, [])


if __name__ == '__main__':
    unittest.main()
