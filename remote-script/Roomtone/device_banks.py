"""A device's parameters in banks of eight, the way Live itself pages them.

Live has no bank API for its own devices: the pages a hardware controller shows come from
tables in the scripts that ship with Live. Live 12 has
`ableton.v3.control_surface.default_bank_definitions.BANK_DEFINITIONS`; Live 11 and 12 have
`_Generic.Devices` (`DEVICE_DICT` and `BANK_NAME_DICT`, keyed by the device's class name).
Max for Live devices declare their own banks (`MaxDevice.get_bank_count`, `get_bank_name`,
`get_bank_parameters`). Those are Live's banks; a device none of them knows gets its
rack macros as the first bank(s), then its parameters in order, eight at a time.

Each bank is `{name, params}` with exactly BANK_SIZE entries: parameter ids, or None where
the bank leaves a knob empty.
"""
from __future__ import absolute_import

BANK_SIZE = 8

_tables = None


def _live_tables():
    """Live's own bank tables, imported once (inside Live they come with Live's scripts;
    the simulator ships a small stand-in for `_Generic.Devices`)."""
    global _tables
    if _tables is not None:
        return _tables
    found = []
    try:
        from ableton.v3.control_surface.default_bank_definitions import BANK_DEFINITIONS
        found.append(('v3', BANK_DEFINITIONS))
    except Exception:
        pass
    try:
        from _Generic.Devices import DEVICE_DICT, BANK_NAME_DICT
        found.append(('generic', (DEVICE_DICT, BANK_NAME_DICT)))
    except Exception:
        pass
    _tables = found
    return found


def reset_tables():
    """Forget the imported tables (tests swap the module in and out)."""
    global _tables
    _tables = None


def _entry_name(entry):
    """A parameter named in a bank table: a plain string, or an object that carries one."""
    if isinstance(entry, str):
        return entry
    for attr in ('name', 'parameter_name', '_name'):
        v = getattr(entry, attr, None)
        if isinstance(v, str):
            return v
    return None


def _pad(items):
    items = list(items)[:BANK_SIZE]
    return items + [None] * (BANK_SIZE - len(items))


def _by_name(params):
    """First parameter per name, by Live's original name and by the shown name."""
    out = {}
    for p in params:
        for attr in ('original_name', 'name'):
            try:
                n = str(getattr(p, attr))
            except Exception:
                continue
            if n and n not in out:
                out[n] = p
    return out


def _named_banks(rows, params):
    """[(bank name, [parameter name or None])] -> [(bank name, [parameter or None])], or
    None when the table names no parameter this device has (another device of that class)."""
    index = _by_name(params)
    banks = []
    hits = 0
    for name, names in rows:
        found = []
        for n in names:
            p = index.get(n) if n else None
            if p is not None:
                hits += 1
            found.append(p)
        banks.append((name, found))
    return banks if hits else None


def _from_v3(table, class_name, params):
    spec = table.get(class_name) if hasattr(table, 'get') else None
    if not spec:
        return None
    rows = []
    for bank_name in list(spec.keys()):
        bank = spec[bank_name]
        entries = bank.get('Parameters', ()) if hasattr(bank, 'get') else bank
        rows.append((str(bank_name), [_entry_name(e) for e in entries]))
    return _named_banks(rows, params)


def _from_generic(tables, class_name, params):
    device_dict, bank_name_dict = tables
    banks = device_dict.get(class_name) if hasattr(device_dict, 'get') else None
    if not banks:
        return None
    names = list(bank_name_dict.get(class_name, ()) if hasattr(bank_name_dict, 'get') else ())
    rows = []
    for i, bank in enumerate(banks):
        title = names[i] if i < len(names) and names[i] else 'Bank %d' % (i + 1)
        rows.append((str(title), [_entry_name(e) or None for e in bank]))
    return _named_banks(rows, params)


def _from_max(device, params):
    if not hasattr(device, 'get_bank_count'):
        return None
    count = int(device.get_bank_count())
    if count <= 0:
        return None
    banks = []
    for i in range(count):
        found = []
        for item in device.get_bank_parameters(i):
            if isinstance(item, int):
                found.append(params[item] if 0 <= item < len(params) else None)
            else:
                found.append(item)
        banks.append((str(device.get_bank_name(i)), found))
    return banks


def _default(device, params, macro_count):
    """Macros first (racks), then every other parameter but the on/off switch, in order."""
    rest = params[1:] if params else []
    macros = rest[:macro_count] if macro_count else []
    others = rest[macro_count:] if macro_count else rest
    banks = []
    for i in range(0, len(macros), BANK_SIZE):
        chunk = macros[i:i + BANK_SIZE]
        banks.append(('Macros' if len(macros) <= BANK_SIZE else 'Macros %d' % (i // BANK_SIZE + 1), chunk))
    for i in range(0, len(others), BANK_SIZE):
        chunk = others[i:i + BANK_SIZE]
        banks.append(('Parameters %d\u2013%d' % (i + 1, i + len(chunk)), chunk))
    return banks


def device_banks(device, id_of, macro_count=0):
    """(source, [{name, params}]) for `device`; `id_of(parameter)` gives a parameter's id
    (None when it is not mirrored). source: 'max', 'live' or 'default'."""
    params = list(device.parameters)
    banks = _from_max(device, params)
    source = 'max'
    if banks is None:
        source = 'live'
        class_name = str(getattr(device, 'class_name', ''))
        for kind, table in _live_tables():
            banks = _from_v3(table, class_name, params) if kind == 'v3' else _from_generic(table, class_name, params)
            if banks is not None:
                break
    if banks is None:
        source = 'default'
        banks = _default(device, params, macro_count)
    out = []
    for name, found in banks:
        ids = [id_of(p) if p is not None else None for p in found]
        if any(i is not None for i in ids):
            out.append({'name': name, 'params': _pad(ids)})
    return source, out
