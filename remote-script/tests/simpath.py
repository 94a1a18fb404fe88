"""Put remote-script/sim (the fake `Live` module and runner) and remote-script (the
Roomtone package) on sys.path. Import this first in every test module."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SIM = os.path.join(ROOT, 'sim')
for p in (SIM, ROOT):
    if p not in sys.path:
        sys.path.insert(0, p)

# The agent secret (Roomtone/agent_auth.py) of the scripts these tests start: one per test
# run, in a private temp folder, never next to the package in the repository.
if not os.environ.get('ROOMTONE_SCRIPT_SECRET_FILE'):
    import tempfile
    os.environ['ROOMTONE_SCRIPT_SECRET_FILE'] = os.path.join(tempfile.mkdtemp(prefix='roomtone-py-'), 'agent.secret')
