"""The ICD-10-CM code set as a small cached index: is a code valid, is it billable (a leaf), and
what is its description?

The source of truth is the ``simple-icd-10-cm`` package (the CDC/NCHS ICD-10-CM tabular list
and code list it ships), but importing it builds a tree of ~98,500 objects: 1.4-4.5 s and
~170-190 MiB in every process. This module never imports it. It finds the package's data
files with :func:`importlib.util.find_spec` (which, for a top-level name, does not execute the
package), reads them once per installed package version with :func:`lxml.etree.iterparse`
(:func:`build_entries`, a faithful copy of the package's own rules, below), and keeps the
answer in a cache file.

What the package counts as a code (``is_valid_item``) and as a leaf (``is_leaf``):

* every chapter (``"1"``..``"22"``), section (``"A00-A09"``; its ``id``), and ``diag``
  (its ``<name>``); a name seen twice keeps the node that ended first in document order
  (a category beats the one-category section of the same name);
* seventh-character codes: a ``diag`` with no child ``diag`` gets one child per
  ``<sevenChrDef>`` extension, its own definition or else the nearest ancestor's (only an
  ancestor whose ``<sevenChrDef>`` comes before the ``diag`` in the file). The name is
  padded with ``X`` to six characters plus the dot (``S13.4`` -> ``S13.4XX`` -> ``S13.4XXA``),
  and a child exists only when the code list (``code-list-*.txt``) holds it without the dot,
  which drops the combinations the guidelines exclude;
* a leaf is a node with no children, generated ones included;
* a code may be given without its dot: ``is_valid_item(c)`` is ``c`` in the set or, for four
  characters or more, ``c[:3] + "." + c[3:]``. Nothing else is normalised (case, spaces).

The index format, chosen by measurement (Python 3.11, 98,466 names of which 74,731 leaves;
a slow shared machine where ``import simple_icd_10_cm`` takes 3.5 s and 190 MiB):

* two ``frozenset`` of str (names, leaves) read from text: ~40 ms and +18 MiB peak RSS;
* chosen: one sorted blob of fixed-width, NUL-padded UTF-8 names (8 bytes each: ICD-10-CM
  codes are at most 7 characters and the dot) and one byte per name for the leaf flag,
  searched by bisection (17 slice comparisons, a few microseconds, and
  :func:`payerkit.rules.codes.icd10_error` caches its answers). The file is 886 kB and is
  read with one ``read`` and a CRC check: the first ``icd10_error`` costs ~6 ms (most of it
  the package-version lookup) and +1.2 MiB, so ``payerkit claim`` peaks at ~31 MiB.

Building it (the first run after installing or upgrading simple-icd-10-cm) takes ~1.1 s
and peaks at ~48 MiB (``payerkit claim`` ~56 MiB): the code list as a set, and ``{name:
leaf}``; the parsed XML is cleared as it goes.

The file (``icd10cm-<package version>-f<format>.idx``) lives in ``$PAYERKIT_CACHE_DIR``, else
the user's cache directory (:func:`platformdirs.user_cache_dir`). Its first line holds a magic
word, the index format, the package version, the count, the width and a CRC-32 of the rest;
anything that does not match (a truncated, damaged or foreign file) is rebuilt, and so is
one that is not a regular file (a FIFO, a link to a device) or is larger than
:data:`CACHE_LIMIT`: it is never waited on or read whole. A new package
version has a new name, so it is built afresh. It is written to a temporary file in the same
folder and moved into place with :func:`os.replace`, so no reader sees half a file; a cache
folder that cannot be used (read-only, a file in the way) only costs a build in memory.

**Descriptions** (``get_description``: the NF-3 and the superbill print them) are a second
file, ``icd10cm-<package version>-d<format>.desc`` in the same folder, read only when a
description is first asked for (:func:`description`), so the index above neither grows nor
slows down. As the package builds them: a node's last ``<desc>`` with text (else ``""``); a
seventh-character code's is its parent's, ``", "``, and the character's meaning (the
``<extension>`` text, ``"/" + <note>`` for each note after it) -- written as XML and parsed
again, which only matters for ``&``, ``<``, ``>`` or a carriage return, none present. Half the
codes are such codes, so each description is stored as two pieces of text to join:

* the format, chosen by measurement (same machine): one record of two little-endian 32-bit
  offsets per name, in the index's order (the index finds the position), then every distinct
  piece once, UTF-8, NUL-terminated. 3.2 MB (0.8 MB records, 2.4 MB text), read with one
  ``read`` and a CRC check in ~3 ms and +3.1 MiB; a lookup is a bisection, an unpack and one
  or two decodes. One UTF-8 blob of the whole descriptions with an offsets array would be
  7.4 MB, ~6.5 ms and +7.0 MiB.

Its header holds a magic word, the format, the package version, the count, the CRC of the
index it was made for, the text's length and a CRC-32 of the rest; it is checked, rebuilt and
written as the index is. Building it parses the XML again (0.9-1.4 s, ~69 MiB peak, when the
index alone takes 0.5-1.0 s and ~45 MiB), the first time a description is needed for a package
version; a claim with a warm cache only reads the two files.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import os
import re
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

#: The Python package and the distribution that ship the code set.
PACKAGE = "simple_icd_10_cm"
DISTRIBUTION = "simple-icd-10-cm"
#: Raise when the cache file's layout or the rules that fill it change.
INDEX_FORMAT = 1
#: The same for the descriptions file.
DESCRIPTIONS_FORMAT = 1
CACHE_ENV = "PAYERKIT_CACHE_DIR"
_MAGIC = b"payerkit-icd10cm-index"
_DESCRIPTIONS_MAGIC = b"payerkit-icd10cm-descriptions"
_PAD = b"\0"
_RECORD = struct.Struct("<II")  # a description's two pieces: offsets into the text blob
#: Characters after which a seventh-character description is not the text the package builds
#: as XML, then parses: it is then given to the same parser (see :func:`_extended_description`).
_XML_SPECIAL = re.compile(r"[&<>\r]")


def package_version() -> str:
    """The installed simple-icd-10-cm version (from its metadata; the package is not imported)."""
    return importlib.metadata.version(DISTRIBUTION)


def cache_dir() -> Path:
    """``$PAYERKIT_CACHE_DIR``, else the user's cache directory for payerkit."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("payerkit"))


def _safe(version: str) -> str:
    return re.sub(r"[^A-Za-z0-9.+_-]", "_", version)


def cache_file_name(version: str) -> str:
    return f"icd10cm-{_safe(version)}-f{INDEX_FORMAT}.idx"


def descriptions_file_name(version: str) -> str:
    return f"icd10cm-{_safe(version)}-d{DESCRIPTIONS_FORMAT}.desc"


def data_files() -> tuple[Path, Path]:
    """The package's tabular list (XML) and code list (text), found without importing it: the
    file names are read from the module's source, where the package names them."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"the {DISTRIBUTION} package is not installed", name=PACKAGE)
    folder = Path(next(iter(spec.submodule_search_locations)))
    data = folder / "data"
    try:
        source = (folder / f"{PACKAGE}.py").read_text(encoding="utf-8")
    except OSError:
        source = ""
    found = []
    for variable, pattern in (("_classification_data_package_file_name", "*.xml"),
                              ("_all_codes_package_file_name", "*.txt")):
        match = re.search(rf"^{variable}\s*(?::\s*str\s*)?=\s*['\"]([^'\"]+)['\"]", source, re.M)
        if match:
            found.append(data / match.group(1))
            continue
        candidates = sorted(data.glob(pattern))
        if len(candidates) != 1:
            raise FileNotFoundError(f"cannot tell which {pattern} in {data} is the code set "
                                    f"of {DISTRIBUTION}")
        found.append(candidates[0])
    return found[0], found[1]


class _Node:
    __slots__ = ("depth", "tag", "name", "desc", "children", "seven", "inherited", "passed")

    def __init__(self, depth: int, tag: str, name: str, inherited: _Node | None):
        self.depth, self.tag, self.name = depth, tag, name
        self.desc = ""  # its last <desc> with text (kept only when descriptions are built)
        self.children = 0
        self.seven: dict[str, str] = {}  # own seventh characters and their meaning, in file order
        self.inherited = inherited  # the ancestor whose sevenChrDef applies when this began
        self.passed = inherited  # what the children that follow inherit


def _extended_description(description: str, meaning: str) -> tuple[str, str]:
    """A seventh-character code's description as two pieces to join: the package writes
    ``<desc>`` + parent's description + ``", "`` + the character's meaning + ``</desc>`` into a
    string of XML and parses it, which changes nothing unless the text holds ``&``, ``<``,
    ``>`` or a carriage return (none does in 2026): then the same parser gives the answer (or
    fails, as importing the package would)."""
    text = description + ", " + meaning
    if not _XML_SPECIAL.search(text):
        return description, ", " + meaning
    import xml.etree.ElementTree as ET

    parsed = ET.fromstring("<diag_ext><name></name><desc>" + text + "</desc></diag_ext>")
    return parsed[1].text or "", ""


def build_entries(xml_path: str | os.PathLike, list_path: str | os.PathLike,
                  descriptions: dict[str, tuple[str, str]] | None = None) -> dict[str, bool]:
    """``{name: is_leaf}`` for every item simple-icd-10-cm knows, by its rules (see the module
    docstring), in the order it registers them. Given ``descriptions``, also fills it with each
    name's ``get_description`` as two pieces to join (the second is ``""`` or a seventh
    character's ``", meaning"``)."""
    from lxml import etree

    with open(list_path, encoding="utf-8") as f:  # text mode: CRLF reads as LF, as the package
        confirmed = {line.removesuffix("\n").split(" ")[0].replace(".", "") for line in f}
    entries: dict[str, bool] = {}

    def finish(node: _Node) -> None:
        extended = []
        if node.children == 0 and (node.seven or node.inherited is not None) \
                and node.tag != "diag_ext":
            chars = node.seven if node.seven else node.inherited.seven  # type: ignore[union-attr]
            stem = node.name + "." if len(node.name) == 3 else node.name
            stem = stem.ljust(7, "X")
            extended = [(stem + c, meaning) for c, meaning in chars.items()
                        if stem[:3] + stem[4:] + c in confirmed]
        entries.setdefault(node.name, node.children == 0 and not extended)
        for name, _ in extended:
            entries.setdefault(name, True)
        if descriptions is not None:
            descriptions.setdefault(node.name, (node.desc, ""))
            for name, meaning in extended:
                if name not in descriptions:
                    descriptions[name] = _extended_description(node.desc, meaning)

    stack: list[_Node] = []
    depth = top = 0
    # without comments and processing instructions, text reads as the package's parser gives it
    for event, elem in etree.iterparse(os.fspath(xml_path), events=("start", "end"),
                                       remove_comments=True, remove_pis=True):
        if event == "start":
            depth += 1
            if depth == 2:  # the root's children after the first two (version, introduction)
                top += 1
                if top > 2:
                    stack.append(_Node(depth, elem.tag, elem.get("id", ""), None))
            elif stack and depth == stack[-1].depth + 1 and elem.tag in ("section", "diag"):
                parent = stack[-1]
                parent.children += 1
                stack.append(_Node(depth, elem.tag, elem.get("id", ""), parent.passed))
            continue
        if stack and depth == stack[-1].depth + 1:  # a direct child of the open code
            node = stack[-1]
            if elem.tag == "name":
                if elem.text is None:
                    raise ValueError(f"{xml_path}: a <name> with no text in {node.name!r}")
                node.name = elem.text
            elif elem.tag == "desc":
                if descriptions is not None and elem.text is not None:
                    node.desc = elem.text
            elif elem.tag == "sevenChrDef":
                last = None
                for extension in elem:
                    if extension.tag == "extension":
                        last = extension.attrib["char"]
                        node.seven[last] = extension.text or ""
                    elif extension.tag == "note" and last is not None and extension.text is not None:
                        node.seven[last] += "/" + extension.text  # as the package: meaning/note
                node.passed = node
        elif stack and depth == stack[-1].depth:  # the open code ends
            finish(stack.pop())
            elem.clear()
            while elem.getprevious() is not None:  # keep the parsed tree small
                del elem.getparent()[0]
        depth -= 1
    return entries


def encode(entries: dict[str, bool], version: str) -> bytes:
    """The cache file's bytes for ``entries``: header line, names, leaf flags."""
    names = sorted(entries)  # code point order is UTF-8 byte order, and NUL pads sort first
    width = max((len(name.encode("utf-8")) for name in names), default=1)
    body = bytearray(len(names) * (width + 1))
    flags = len(names) * width
    for i, name in enumerate(names):
        key = name.encode("utf-8")
        body[i * width:i * width + len(key)] = key
        body[flags + i] = entries[name]
    header = b" ".join([_MAGIC, str(INDEX_FORMAT).encode(), version.encode("utf-8"),
                        str(len(names)).encode(), str(width).encode(),
                        b"%08x" % zlib.crc32(body)])
    return header + b"\n" + body


class Icd10Index:
    """The code set as a sorted blob: answers ``is_valid_item`` and ``is_leaf`` as the package."""

    __slots__ = ("version", "crc", "_data", "_start", "_count", "_width")

    def __init__(self, data: bytes, version: str):
        """Check ``data`` (a cache file's bytes) against ``version``; ``ValueError`` if it is
        truncated, damaged, or for another version or format."""
        end = data.find(b"\n", 0, 256)
        fields = data[:end].split(b" ") if end > 0 else []
        if len(fields) != 6 or fields[0] != _MAGIC:
            raise ValueError("not a payerkit ICD-10-CM index")
        if fields[1] != str(INDEX_FORMAT).encode() or fields[2] != version.encode("utf-8"):
            raise ValueError("an index of another format or code-set version")
        try:
            count, width, crc = int(fields[3]), int(fields[4]), int(fields[5], 16)
        except ValueError:
            raise ValueError("a damaged index header") from None
        start = end + 1
        if count < 0 or width < 1 or len(data) - start != count * (width + 1):
            raise ValueError("a truncated index")
        if zlib.crc32(memoryview(data)[start:]) != crc:
            raise ValueError("a damaged index")
        self.version, self.crc = version, crc
        self._data, self._start, self._count, self._width = data, start, count, width

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        """Every name, sorted by its UTF-8 bytes."""
        data, w = self._data, self._width
        for i in range(self._count):
            at = self._start + i * w
            yield data[at:at + w].rstrip(_PAD).decode("utf-8")

    def _find(self, name: str) -> int:
        """The position of ``name`` exactly, or -1."""
        try:
            key = name.encode("utf-8")
        except UnicodeEncodeError:
            return -1
        w = self._width
        if len(key) > w or _PAD in key:
            return -1
        key = key.ljust(w, _PAD)
        data, start = self._data, self._start
        lo, hi = 0, self._count
        while lo < hi:
            mid = (lo + hi) // 2
            at = start + mid * w
            record = data[at:at + w]
            if record < key:
                lo = mid + 1
            elif record > key:
                hi = mid
            else:
                return mid
        return -1

    def _resolve(self, code: str) -> int:
        """As the package's ``_add_dot_to_code`` then lookup: the dotted form first."""
        if len(code) >= 4 and code[3] != ".":
            found = self._find(code[:3] + "." + code[3:])
            if found >= 0:
                return found
        return self._find(code)

    def lookup(self, code: str) -> bool | None:
        """``None`` when ``code`` is not an item of the code set, else whether it is a leaf."""
        found = self._resolve(code)
        return None if found < 0 else self._data[self._start + self._count * self._width + found] == 1

    def is_valid_item(self, code: str) -> bool:
        return self._resolve(code) >= 0

    def is_leaf(self, code: str) -> bool:
        """Raises ``ValueError`` for a code that does not exist, as the package does."""
        leaf = self.lookup(code)
        if leaf is None:
            raise ValueError(f'The code "{code}" does not exist.')
        return leaf


def encode_descriptions(names: list[str], descriptions: dict[str, tuple[str, str]], version: str,
                        index_crc: int) -> bytes:
    """The descriptions file's bytes: header line, then one record per name of the index whose
    body has CRC ``index_crc`` (``names``, in its order) holding the offsets of two pieces of
    text, then the text: each distinct piece once, UTF-8, NUL-terminated, the first empty."""
    blob = bytearray(_PAD)
    offsets = {"": 0}
    records = bytearray(len(names) * _RECORD.size)
    for i, name in enumerate(names):
        pieces = []
        for text in descriptions[name]:
            at = offsets.get(text)
            if at is None:
                key = text.encode("utf-8")
                if _PAD in key:
                    raise ValueError(f"a description of {name!r} holds a NUL")
                at = offsets[text] = len(blob)
                blob += key + _PAD
            pieces.append(at)
        _RECORD.pack_into(records, i * _RECORD.size, *pieces)
    body = bytes(records + blob)
    header = b" ".join([_DESCRIPTIONS_MAGIC, str(DESCRIPTIONS_FORMAT).encode(),
                        version.encode("utf-8"), str(len(names)).encode(), b"%08x" % index_crc,
                        str(len(blob)).encode(), b"%08x" % zlib.crc32(body)])
    return header + b"\n" + body


class Icd10Descriptions:
    """``get_description`` as the package answers it, for the names of one :class:`Icd10Index`."""

    __slots__ = ("index", "_data", "_records", "_text")

    def __init__(self, data: bytes, index: Icd10Index):
        """Check ``data`` (a descriptions file's bytes) against ``index``; ``ValueError`` if it is
        truncated, damaged, of another format or version, or made for another index."""
        end = data.find(b"\n", 0, 256)
        fields = data[:end].split(b" ") if end > 0 else []
        if len(fields) != 7 or fields[0] != _DESCRIPTIONS_MAGIC:
            raise ValueError("not payerkit ICD-10-CM descriptions")
        if fields[1] != str(DESCRIPTIONS_FORMAT).encode() or fields[2] != index.version.encode("utf-8"):
            raise ValueError("descriptions of another format or code-set version")
        try:
            count, index_crc, size, crc = (int(fields[3]), int(fields[4], 16), int(fields[5]),
                                           int(fields[6], 16))
        except ValueError:
            raise ValueError("a damaged descriptions header") from None
        start = end + 1
        if count != len(index) or index_crc != index.crc:
            raise ValueError("descriptions of another index")
        if size < 1 or len(data) - start != count * _RECORD.size + size:
            raise ValueError("truncated descriptions")
        if zlib.crc32(memoryview(data)[start:]) != crc:
            raise ValueError("damaged descriptions")
        self.index = index
        self._data, self._records, self._text = data, start, start + count * _RECORD.size

    def _piece(self, offset: int) -> str:
        at = self._text + offset
        return self._data[at:self._data.index(_PAD, at)].decode("utf-8")

    def get(self, code: str) -> str | None:
        """``None`` when ``code`` is not an item of the code set (``get_description`` raises
        ``ValueError``), else its description; with or without the dot, as the package."""
        found = self.index._resolve(code)
        if found < 0:
            return None
        base, suffix = _RECORD.unpack_from(self._data, self._records + found * _RECORD.size)
        return self._piece(base) + self._piece(suffix) if suffix else self._piece(base)


#: The most a cache file may hold (the index is ~0.9 MB, the descriptions ~3.2 MB).
CACHE_LIMIT = 64 << 20


def _read_cache(path: Path) -> bytes:
    """A cache file's bytes; an ``OSError`` when it is not a regular file (a FIFO, a link to
    ``/dev/zero``) or is larger than :data:`CACHE_LIMIT`: it is then neither waited on nor
    read, but rebuilt and replaced, like a damaged one."""
    from ..files import read_regular

    return read_regular(path, CACHE_LIMIT)


def _write_atomic(path: Path, data: bytes) -> None:
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


def build(version: str) -> bytes:
    """Parse the package's data files into the cache file's bytes."""
    return encode(build_entries(*data_files()), version)


def load(folder: str | os.PathLike | None = None) -> Icd10Index:
    """The index for the installed code set: read from the cache file in ``folder`` (default
    :func:`cache_dir`), or built and saved there when it is missing, damaged or for another
    version. A folder that cannot be read or written only means building in memory."""
    version = package_version()
    path = None
    try:
        path = Path(folder) if folder is not None else cache_dir()
        path = path / cache_file_name(version)
        return Icd10Index(_read_cache(path), version)
    except (OSError, ValueError):
        pass
    data = build(version)
    index = Icd10Index(data, version)
    _keep(path, data)
    return index


def _keep(path: Path | None, data: bytes) -> None:
    """Save a file just built into the cache; a cache folder that cannot be used only means
    answering from memory."""
    if path is None:
        return
    try:
        _write_atomic(path, data)
    except OSError:
        pass


@functools.cache
def default_index() -> Icd10Index:
    """The process's index (:func:`load`), loaded once."""
    return load()


def build_descriptions(version: str) -> tuple[bytes, bytes]:
    """Parse the package's data files (a pass of its own, made only when descriptions are
    first asked for) into the code index's bytes and the descriptions file's bytes."""
    descriptions: dict[str, tuple[str, str]] = {}
    entries = build_entries(*data_files(), descriptions)
    index_data = encode(entries, version)
    index = Icd10Index(index_data, version)
    return index_data, encode_descriptions(sorted(entries), descriptions, version, index.crc)


def load_descriptions(folder: str | os.PathLike | None = None,
                      index: Icd10Index | None = None) -> Icd10Descriptions:
    """The descriptions of the installed code set for ``index`` (default: :func:`load` from
    ``folder``, or :func:`default_index`): read from their cache file in ``folder`` (default
    :func:`cache_dir`), next to the index, or built and saved there when it is missing, damaged,
    or for another version or index. A folder that cannot be used only means building in memory."""
    if index is None:
        index = load(folder) if folder is not None else default_index()
    version = index.version
    path = None
    try:
        path = Path(folder) if folder is not None else cache_dir()
        path = path / descriptions_file_name(version)
        return Icd10Descriptions(_read_cache(path), index)
    except (OSError, ValueError):
        pass
    index_data, data = build_descriptions(version)
    try:
        descriptions = Icd10Descriptions(data, index)
    except ValueError:  # the package's files changed under the same version: the index is stale
        descriptions = Icd10Descriptions(data, Icd10Index(index_data, version))
        _keep(path and path.with_name(cache_file_name(version)), index_data)
    _keep(path, data)
    return descriptions


@functools.cache
def default_descriptions() -> Icd10Descriptions:
    """The process's descriptions (:func:`load_descriptions`), loaded once, on first use."""
    return load_descriptions()


def description(code: str) -> str | None:
    """simple-icd-10-cm's ``get_description(code)``, or ``None`` where it raises ``ValueError``
    (``code`` is not an item of the code set)."""
    return default_descriptions().get(code)
