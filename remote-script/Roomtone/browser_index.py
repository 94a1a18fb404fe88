"""An index of Live's browser, built a little per tick, that searches answer from.

Walking Live's browser touches thousands of items and each folder's `children` costs
Live time to make; peers that walk it inside one request stall Live's UI or give up
half way. Here a job walks it breadth first, a few folders per step, and keeps only
strings (name, uri, category, the path of names from the category's root) in the
index itself, so disconnect() has nothing to let go of but the job. A search answers
from the last complete index and says when an index is still being built (the first
one, or a refresh after REFRESH_S) and when it left matches out (`truncated`).
`browser.load` finds its item again by the path of names, one folder per level.
"""
from __future__ import absolute_import

import time

CATEGORIES = ('instruments', 'audio_effects', 'midi_effects', 'drums', 'sounds', 'plugins')
REFRESH_S = 600.0
ITEMS_PER_STEP = 48
_clock = getattr(time, 'monotonic', time.time)


class BrowserIndex(object):
    def __init__(self, clock=None):
        self.clock = clock or _clock
        self.items = []        # (lowercase name, name, uri, category, path of names)
        self.partial = []      # what the first walk found so far (searched until it ends)
        self.by_uri = {}
        self.built_at = None
        self.building = False
        self.visited = 0

    @property
    def ready(self):
        return self.built_at is not None

    def stale(self):
        return self.built_at is None or self.clock() - self.built_at > REFRESH_S

    def walk(self, browser):
        """The job: walks every category below its root, a few folders per step. The
        folders still to open wait in this generator's frame; closing the job (jobs.clear
        at disconnect) lets go of them."""
        self.building = True
        items = []
        if not self.ready:
            self.partial = items
        visited = 0
        try:
            for cat in CATEGORIES:
                root = getattr(browser, cat, None)
                queue = [(root, ())] if root is not None else []
                head = 0
                while head < len(queue):
                    node, path = queue[head]
                    queue[head] = None
                    head += 1
                    children = node.children   # one call: Live makes the whole folder's items
                    node = None
                    yield
                    for i, child in enumerate(children):
                        visited += 1
                        name = str(child.name)
                        sub = path + (name,)
                        if child.is_loadable:
                            items.append((name.lower(), name, str(child.uri), cat, sub))
                        if child.is_folder:
                            queue.append((child, sub))
                        if i % ITEMS_PER_STEP == ITEMS_PER_STEP - 1:
                            yield
                    children = None
                root = None
                queue = None
            browser = None
            self.items = items
            self.partial = []
            self.by_uri = dict((it[2], it) for it in items)
            self.built_at = self.clock()
            self.visited = visited
        finally:
            self.building = False

    def search(self, query, categories, limit):
        """(matches, truncated): loadable items whose name holds every word of `query`."""
        words = query.lower().split()
        out = []
        truncated = False
        for low, name, uri, cat, path in (self.items if self.ready else self.partial):
            if cat not in categories:
                continue
            for w in words:
                if w not in low:
                    break
            else:
                if len(out) >= limit:
                    truncated = True
                    break
                out.append({'name': name, 'uri': uri, 'category': cat, 'isLoadable': True,
                            'path': '/'.join(path[:-1])})
        return out, truncated

    def lookup(self, uri=None, name=None):
        """The indexed entry for a uri, or the first loadable item with exactly `name`."""
        if uri is not None:
            hit = self.by_uri.get(uri)
            if hit is not None:
                return hit
        else:
            for it in self.items:
                if it[1] == name:
                    return it
        # the first walk is under way: what it found so far
        for it in self.partial:
            if (it[2] == uri) if uri is not None else (it[1] == name):
                return it
        return None

    def clear(self):
        self.partial = []
        self.items = []
        self.by_uri = {}
        self.built_at = None


def _find(browser, cat, path):
    node = getattr(browser, cat, None) if browser is not None else None
    for name in path:
        if node is None:
            return None
        nxt = None
        for child in node.children:
            if str(child.name) == name:
                nxt = child
                break
        node = nxt
    return node


def find_item(browser, entry):
    """Live's browser item for an index entry, found by its path (None when gone)."""
    item = _find(browser, entry[3], entry[4])
    if item is None or str(item.uri) != entry[2]:
        return None
    return item
