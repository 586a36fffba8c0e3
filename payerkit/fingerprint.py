"""A cheap fingerprint of a frozen model tree, to notice a plugin that changed what it read.

payerkit's model is frozen (attrs): ``case.patient = ...`` raises. But
``object.__setattr__`` still sets a field, and a dict in the tree (``facts``,
``cash_rates``) still takes items. :func:`fingerprint` lists what every object
of the tree refers to, level by level, as the garbage collector sees it
(``gc.get_referents``, in C): the field values of attrs objects, the items of
tuples, lists and dicts, and a dict's keys. It holds the values themselves, so
two fingerprints compare by identity, and a field set to another value, an item
added or removed, makes them differ. About 13-20 µs for a case of two visits, and
a microsecond to compare (``benchmarks/bench_guards.py``). :func:`first_change`
names the field that differs, for the error message; never its value, which may
be patient data.
"""

from __future__ import annotations

import gc
from itertools import compress

import attrs


class _Kinds(dict):
    """Whether objects of a type are walked into: containers and attrs classes, learnt once."""

    def __missing__(self, kind: type) -> bool:
        self[kind] = walked = kind in (tuple, list, dict) or attrs.has(kind)
        return walked


_WALKED = _Kinds()


#: The last tree walked whole: (root, its objects walked in order, the dicts and the lists
#: among them, what they referred to with the dicts' keys and the lists' lengths, the
#: fingerprint). The objects are kept, so the
#: root's identity is never another tree's.
_LAST: tuple | None = None


def fingerprint(obj: object) -> list[list]:
    """What the objects under ``obj`` refer to, level by level, and each dict's keys.

    Two fingerprints of a tree are equal (``==``) while nothing in it changed: every
    value is the same object, so the comparison is by identity, about a microsecond.
    Each level is filtered in C (``map``, ``compress``), so the walk costs little more
    than ``gc.get_referents``.

    The second fingerprint of the tree walked last (a run's "after") is told in one call:
    when the objects walked before still refer to what they referred to, their dicts hold
    the same keys and their lists as many items (so no object's share of the referents
    moved to another's), a walk from the root would find the same levels (it visits the
    same objects again, in the same order), and the fingerprint taken before is the
    answer. Anything else, and the tree is walked whole again."""
    global _LAST
    last = _LAST
    if last is not None and last[0] is obj:
        _, nodes, dicts, lists, flat, before = last
        if gc.get_referents(*nodes) + list(map(tuple, dicts)) + list(map(len, lists)) == flat:
            return before
    out = []
    nodes: list = []
    dicts: list = []
    flat: list = []
    keys: list = []
    level = [obj]
    walked = _WALKED.__getitem__
    while level:
        nodes += level
        refs = gc.get_referents(*level)
        flat += refs
        found = [d for d in level if type(d) is dict]
        if found:
            dicts += found
            found = list(map(tuple, found))
            keys += found
            out.append(refs + found)
        else:
            out.append(refs)
        level = list(compress(refs, map(walked, map(type, refs))))
    lists = [x for x in nodes if type(x) is list]
    _LAST = (obj, nodes, dicts, lists, flat + keys + list(map(len, lists)), out)
    return out


def first_change(obj: object, before: list[list], root: str) -> str:
    """The path (``case.coverage.member_id``) of the first value under ``obj``, level by
    level, that is not what :func:`fingerprint` saw in ``before`` (``root`` names ``obj``)."""
    level = [(root, obj)]
    for old in before:
        objects = [o for _, o in level]
        refs = gc.get_referents(*objects)
        if refs + [tuple(d) for d in objects if type(d) is dict] != old:
            return _changed(level, old)
        paths = {id(child): path for parent_path, parent in level
                 for path, child in _named(parent_path, parent)}
        level = [(paths[id(r)], r) for r in refs if _WALKED[type(r)]]  # fingerprint's order
    return root


def _named(path: str, obj: object) -> list[tuple[str, object]]:
    """The values under ``obj`` with their paths."""
    if type(obj) is dict:
        return [(f"{path}.{key}", value) for key, value in obj.items()]
    if type(obj) in (tuple, list):
        return [(f"{path}[{i}]", value) for i, value in enumerate(obj)]
    return [(f"{path}.{a.name}", getattr(obj, a.name)) for a in attrs.fields(type(obj))]


def _changed(level: list[tuple[str, object]], old: list) -> str:
    """In a level that differs: the first value that was not there before, else the first
    dict whose keys changed, else the level's first object (an item removed)."""
    for parent_path, parent in level:
        for path, value in _named(parent_path, parent):
            if value not in old:
                return path
    for parent_path, parent in level:
        if type(parent) is dict and tuple(parent) not in old:
            return parent_path
    return level[0][0]
