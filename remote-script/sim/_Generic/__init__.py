"""A stand-in for the `_Generic` package of Live's own MIDI Remote Scripts (simulator only)."""
