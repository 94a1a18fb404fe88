"""Roomtone: share one Ableton Live set with a band or a class, from browsers.

Copy this folder into Live's "Remote Scripts" folder and pick "Roomtone" as a control
surface (no MIDI ports needed). It listens on 127.0.0.1 (port 47800, or the
ROOMTONE_SCRIPT_PORT environment variable) for the Roomtone host agent, and speaks the
JSON-lines protocol of docs/protocol.md. Python stdlib only; runs on Live's Python 3.7
(Live 11 - 12.0) and 3.11 (Live 12.1+).
"""
from __future__ import absolute_import


def create_instance(c_instance):
    from .script import RoomtoneScript
    return RoomtoneScript(c_instance)
