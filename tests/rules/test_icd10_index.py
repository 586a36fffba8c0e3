"""The ICD-10-CM index (payerkit.rules.icd10): the same answers as simple-icd-10-cm for every
code, its cache file (built once, rebuilt when stale or damaged, written atomically, optional),
the descriptions (the same as ``get_description`` for every code, their own cache file), and
processes that check codes and write an NF-3 without importing the package."""

import json
import os
import shutil
import string
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payerkit.rules import codes, icd10

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "ny-covered.toml"

#: A tiny code set for the cache tests (its answers are told apart from a real build's).
FAKE = {"1": False, "A00-A09": False, "A00": False, "A00.0": True, "S13.4": False,
        "S13.4XXA": True, "Q99.99X": True}
#: Their descriptions, as the two pieces the builder gives.
FAKE_DESCRIPTIONS = {"1": ("Invented chapter", ""), "A00-A09": ("Invented section", ""),
                     "A00": ("Invented category", ""), "A00.0": ("Invented leaf", ""),
                     "S13.4": ("Invented sprain", ""), "S13.4XXA": ("Invented sprain", ", first"),
                     "Q99.99X": ("", "")}


@pytest.fixture(scope="module")
def package():
    """The oracle: importing it loads the whole code set (seconds)."""
    import simple_icd_10_cm

    return simple_icd_10_cm


@pytest.fixture(scope="module")
def cache_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("icd10-cache")


@pytest.fixture(scope="module")
def index(cache_folder):
    """A real build, from the package's data files, into ``cache_folder``."""
    return icd10.load(cache_folder)


def package_answer(package, code):
    """``None`` if not an item, else whether it is a leaf: as ``Icd10Index.lookup``."""
    return package.is_leaf(code) if package.is_valid_item(code) else None


@pytest.fixture
def builds(monkeypatch):
    """Replace the XML build with ``FAKE``; the list holds the version of each build."""
    calls = []

    def fake_build(version):
        calls.append(version)
        return icd10.encode(FAKE, version)

    monkeypatch.setattr(icd10, "build", fake_build)
    return calls


def only_file(folder):
    files = sorted(p.name for p in folder.iterdir())
    assert files == [icd10.cache_file_name(icd10.package_version())]
    return folder / files[0]


def fake_files(version, entries=FAKE, descriptions=FAKE_DESCRIPTIONS):
    """What ``build_descriptions`` gives for the fake code set: (index bytes, descriptions bytes)."""
    index_data = icd10.encode(entries, version)
    crc = icd10.Icd10Index(index_data, version).crc
    return index_data, icd10.encode_descriptions(sorted(entries), descriptions, version, crc)


@pytest.fixture
def description_builds(monkeypatch, builds):
    """Replace both builds with the fake code set; the list holds the version of each
    descriptions build (``builds``, of each index build)."""
    calls = []

    def fake_build_descriptions(version):
        calls.append(version)
        return fake_files(version)

    monkeypatch.setattr(icd10, "build_descriptions", fake_build_descriptions)
    return calls


@pytest.fixture(scope="module")
def descriptions_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("icd10-descriptions")


@pytest.fixture(scope="module")
def descriptions(descriptions_folder, index):
    """A real build of the descriptions, for ``index``, into ``descriptions_folder``."""
    return icd10.load_descriptions(descriptions_folder, index)


# --- the same answers as the package ---

def test_every_code_with_and_without_dot(package, index):
    names = package.get_all_codes()
    assert len(index) == len(set(names))
    wrong = [code for code in names + package.get_all_codes(with_dots=False)
             if index.lookup(code) != package_answer(package, code)]
    assert wrong == []


def test_every_indexed_code_is_an_item_of_the_package(package, index):
    assert [code for code in index if not package.is_valid_item(code)] == []
    assert set(index) == set(package.get_all_codes())  # the leaf flags: the test above


def test_known_answers(index):
    assert index.lookup("S13.4XXA") is True and index.lookup("S134XXA") is True
    assert index.lookup("M54.5") is False                # a category since FY2022
    assert index.lookup("S13.4") is False and index.lookup("S13.4XX") is None
    assert index.lookup("1") is False and index.lookup("A00-A09") is False  # chapter, section
    assert index.lookup("s13.4xxa") is None              # the package does not upper-case
    with pytest.raises(ValueError):
        index.is_leaf("Q99.99X")
    for odd in ["", "S13.4XXA\0", "S13.4XXA0", "M62.830 ", "M62.8\x00", "\ud800", "É00"]:
        assert index.lookup(odd) is None and not index.is_valid_item(odd)


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SEVENTH = "ABCDEGHJKMNPQS0123456789X"


@st.composite
def code_like(draw, real_codes):
    """Strings shaped like codes: real ones bent (dot dropped, X padding, a seventh character,
    cut short, lower case, a character changed), and made-up ones."""
    if draw(st.booleans()):
        code = draw(real_codes)
        if draw(st.booleans()):
            stem = code if len(code) != 3 else code + "."
            code = stem.ljust(draw(st.integers(4, 7)), "X") + draw(st.sampled_from(SEVENTH))
        if draw(st.integers(0, 3)) == 0:
            code = code[:draw(st.integers(0, len(code)))]
        if draw(st.integers(0, 3)) == 0 and code:
            at = draw(st.integers(0, len(code) - 1))
            code = code[:at] + draw(st.sampled_from(LETTERS + string.digits + ".X")) + code[at + 1:]
    else:
        body = draw(st.text(alphabet=string.digits + "XA", max_size=4))
        code = (draw(st.sampled_from(LETTERS)) + draw(st.text(string.digits, min_size=2, max_size=2))
                + draw(st.sampled_from(["", "."])) + body + draw(st.sampled_from(["", *SEVENTH])))
    if draw(st.integers(0, 3)) == 0:
        code = code.replace(".", "")
    if draw(st.integers(0, 7)) == 0:
        code = code.lower()
    return code


@pytest.fixture(scope="module")
def code_shaped(package):
    # made once: sampled_from scans its ~98,500 elements each time it is made
    return code_like(st.sampled_from(package.get_all_codes()))


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_code_shaped_strings_get_the_package_answer(package, index, code_shaped, data):
    code = data.draw(code_shaped)
    assert index.lookup(code) == package_answer(package, code)
    normal = codes.normalize_icd(code)  # what icd10_error asks
    assert index.lookup(normal) == package_answer(package, normal)


def test_icd10_error_messages(cache_folder, index, monkeypatch):
    monkeypatch.setenv(icd10.CACHE_ENV, str(cache_folder))
    monkeypatch.setattr(icd10, "build_entries", None)  # the cache is there: nothing is parsed
    icd10.default_index.cache_clear()
    codes.icd10_error.cache_clear()
    try:
        assert codes.icd10_error("M62.830") is None and codes.icd10_error(" s134xxa ") is None
        assert codes.icd10_error("M54.5") == ("expected a complete (billable) ICD-10-CM code, "
                                              "not a category")
        assert codes.icd10_error("1") == codes.icd10_error("M54.5")  # a chapter, as before
        for bad in ["Q99.99X", "A00-A09", "", "M62.83O", "97124"]:
            assert codes.icd10_error(bad) == "expected an ICD-10-CM code such as M62.830"
    finally:
        icd10.default_index.cache_clear()
        codes.icd10_error.cache_clear()


# --- descriptions: the same as the package's ---

def test_every_description_with_and_without_dot(package, descriptions):
    get = package.get_description
    wrong = [code for code in package.get_all_codes() + package.get_all_codes(with_dots=False)
             if descriptions.get(code) != get(code)]
    assert wrong == []


def test_known_descriptions(package, descriptions):
    for code in ["S13.4XXA", "S134XXA", "M54.2", "M542", "M54.5", "1", "A00-A09", "B99",
                 "S13.4", "T14.8XXA", "O30.001", "E08.3211", "E083211"]:
        assert descriptions.get(code) == package.get_description(code), code
    assert descriptions.get("M54.2") == "Cervicalgia"
    assert descriptions.get("S13.4XXA") == "Sprain of ligaments of cervical spine, initial encounter"
    assert descriptions.get("S13.4XXA") == descriptions.get("S13.4") + ", initial encounter"


@pytest.mark.parametrize("code", ["", "Q99.999", "Q99.99X", "s13.4xxa", "S13.4XX", "S13.4XXA ",
                                  " M54.2", "M54.2\0", "M54.20", "97124", "\ud800", "É00", "A00-A10"])
def test_descriptions_of_invalid_codes_are_none(package, descriptions, code):
    with pytest.raises(ValueError):
        package.get_description(code)
    assert descriptions.get(code) is None


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_code_shaped_strings_get_the_package_description(package, descriptions, code_shaped, data):
    code = data.draw(code_shaped)
    expected = package.get_description(code) if package.is_valid_item(code) else None
    assert descriptions.get(code) == expected


#: An invented tabular list for the package's rules the real one does not exercise (checked
#: against ``simple_icd_10_cm.change_version`` with these files when written): the last
#: <desc> with text wins, a comment is dropped, notes in <sevenChrDef> join its meaning with
#: "/", an <extension> with no text means "", and a carriage return in a seventh-character
#: code's description reads as a newline (the package parses that description as XML again).
TINY_XML = """<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.tabular><version>test</version><introduction/>
<chapter><name>1</name><desc>Invented chapter (A00-A02)</desc>
 <section id="A00-A02"><desc>Invented section</desc>
  <diag><name>A00</name><desc>Replaced</desc>
   <desc>Invented &gt; disease<!-- a comment -->, Sträussler</desc><desc/>
   <sevenChrDef><note>an orphan note</note><extension char="A">initial encounter</extension>
    <note>first note</note><note>second note</note><extension char="D"/>
    <extension char="S">sequela</extension></sevenChrDef>
   <diag><name>A00.0</name><desc>Line one&#13;line two</desc></diag>
   <diag><name>A00.1</name><desc/></diag>
   <diag><name>A00.21</name><desc>Invented subcategory</desc></diag>
  </diag>
  <diag><name>A01</name><desc>Fish &amp; chips</desc></diag>
 </section>
 <section id="A02"><desc>A one-category section</desc>
  <diag><name>A02</name><desc>The category</desc></diag></section>
</chapter></ICD10CM.tabular>
"""
TINY_LIST = ("A000XXA x\nA000XXD x\nA001XXA x\nA001XXS x\nA0021XA x\nA0021XD x\nA0021XS x\n"
             "A01 x\nA02 x\n")
TINY_DESCRIPTIONS = {
    "1": "Invented chapter (A00-A02)", "A00-A02": "Invented section",
    "A00": "Invented > disease, Sträussler", "A00.0": "Line one\rline two",
    "A00.0XXA": "Line one\nline two, initial encounter/first note/second note",
    "A00.0XXD": "Line one\nline two, ", "A00.1": "",
    "A00.1XXA": ", initial encounter/first note/second note", "A00.1XXS": ", sequela",
    "A00.21": "Invented subcategory",
    "A00.21XA": "Invented subcategory, initial encounter/first note/second note",
    "A00.21XD": "Invented subcategory, ", "A00.21XS": "Invented subcategory, sequela",
    "A01": "Fish & chips", "A02": "The category",
}


def test_the_package_rules_for_descriptions(tmp_path):
    (tmp_path / "t.xml").write_text(TINY_XML, encoding="utf-8")
    (tmp_path / "t.txt").write_text(TINY_LIST, encoding="utf-8")
    found = {}
    entries = icd10.build_entries(tmp_path / "t.xml", tmp_path / "t.txt", found)
    assert {name: "".join(pieces) for name, pieces in found.items()} == TINY_DESCRIPTIONS
    assert list(found) == list(entries)
    index = icd10.Icd10Index(icd10.encode(entries, "t"), "t")
    data = icd10.encode_descriptions(sorted(entries), found, "t", index.crc)
    tiny = icd10.Icd10Descriptions(data, index)
    assert {name: tiny.get(name) for name in index} == TINY_DESCRIPTIONS
    assert tiny.get("A0021XA") == TINY_DESCRIPTIONS["A00.21XA"] and tiny.get("A00.2") is None
    assert icd10.build_entries(tmp_path / "t.xml", tmp_path / "t.txt") == entries


def test_a_description_the_package_cannot_parse_fails_as_the_package(tmp_path):
    """``&`` in a seventh-character code's description: importing the package would fail."""
    (tmp_path / "t.xml").write_text(TINY_XML.replace("Line one&#13;", "Fish &amp; "), "utf-8")
    (tmp_path / "t.txt").write_text(TINY_LIST, encoding="utf-8")
    assert "A00.0" in icd10.build_entries(tmp_path / "t.xml", tmp_path / "t.txt")
    with pytest.raises(ET.ParseError):
        icd10.build_entries(tmp_path / "t.xml", tmp_path / "t.txt", {})


def test_description_and_icd_description(cache_folder, descriptions_folder, descriptions,
                                         monkeypatch):
    from payerkit.formats.nf3 import icd_description

    folder = cache_folder.parent / "icd10-both"
    folder.mkdir(exist_ok=True)
    for source in [only_file(cache_folder), descriptions_folder / descriptions_file()]:
        shutil.copy(source, folder)
    monkeypatch.setenv(icd10.CACHE_ENV, str(folder))
    monkeypatch.setattr(icd10, "build_entries", None)  # both files are there: nothing is parsed
    icd10.default_index.cache_clear()
    icd10.default_descriptions.cache_clear()
    icd_description.cache_clear()
    try:
        assert icd10.description("M54.2") == "Cervicalgia" and icd10.description("M542") == "Cervicalgia"
        assert icd10.description("m54.2") is None and icd10.description("Q99.999") is None
        assert icd_description("S13.4XXA") == descriptions.get("S13.4XXA")
        assert icd_description("Q99.999") == ""
    finally:
        icd10.default_index.cache_clear()
        icd10.default_descriptions.cache_clear()
        icd_description.cache_clear()


# --- the cache file ---

def test_built_once_then_reused(cache_folder, index, monkeypatch):
    path = only_file(cache_folder)
    assert path.read_bytes().startswith(b"payerkit-icd10cm-index 1 ")

    def no_parsing(*args):
        raise AssertionError("the XML was parsed again")

    monkeypatch.setattr(icd10, "build_entries", no_parsing)
    monkeypatch.setattr(icd10, "data_files", no_parsing)
    again = icd10.load(cache_folder)
    assert len(again) == len(index) and list(again) == list(index)
    assert again.lookup("M62.830") is True and again.lookup("M62.83") is False


def test_cache_folder_from_the_environment(tmp_path, monkeypatch, builds):
    monkeypatch.setenv(icd10.CACHE_ENV, str(tmp_path / "new" / "cache"))
    assert icd10.load().lookup("S13.4XXA") is True
    assert builds == [icd10.package_version()]
    only_file(tmp_path / "new" / "cache")
    icd10.load()
    assert len(builds) == 1


def test_a_new_package_version_rebuilds(tmp_path, monkeypatch, builds):
    icd10.load(tmp_path)
    icd10.load(tmp_path)
    assert len(builds) == 1
    monkeypatch.setattr(icd10, "package_version", lambda: "99.1+local")
    index = icd10.load(tmp_path)
    assert builds[1:] == ["99.1+local"] and index.version == "99.1+local"
    assert (tmp_path / icd10.cache_file_name("99.1+local")).is_file()
    icd10.load(tmp_path)
    assert len(builds) == 2
    assert len(list(tmp_path.iterdir())) == 2  # each version has its own file


def damage(data):
    header, body = data.split(b"\n", 1)
    flipped = bytearray(body)
    flipped[0] ^= 1
    yield "truncated", data[:-3]
    yield "header only", header + b"\n"
    yield "half a header", header[:20]
    yield "empty", b""
    yield "garbage", os.urandom(200)
    yield "a changed byte", header + b"\n" + bytes(flipped)
    yield "a longer file", data + b"\0"
    yield "another format", data.replace(b"index 1 ", b"index 7 ", 1)
    yield "another version", data.replace(icd10.package_version().encode(), b"0.0.0", 1)
    yield "a bad count", header.replace(b" 7 ", b" x ", 1) + b"\n" + body


@pytest.mark.parametrize("kind", [kind for kind, _ in damage(icd10.encode(FAKE, "1.0"))])
def test_a_damaged_cache_file_is_rebuilt(tmp_path, builds, kind):
    good = icd10.encode(FAKE, icd10.package_version())
    path = tmp_path / icd10.cache_file_name(icd10.package_version())
    path.write_bytes(dict(damage(good))[kind])
    index = icd10.load(tmp_path)
    assert len(builds) == 1 and index.lookup("A00.0") is True
    assert path.read_bytes() == good
    only_file(tmp_path)


def test_no_temporary_file_is_left_when_the_move_fails(tmp_path, monkeypatch, builds):
    def refuse(*args):
        raise PermissionError("no")

    monkeypatch.setattr(icd10.os, "replace", refuse)
    assert icd10.load(tmp_path).lookup("S13.4XXA") is True
    assert list(tmp_path.iterdir()) == []


def test_an_unusable_cache_folder_still_answers(tmp_path, builds):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for folder in [blocker, blocker / "cache"]:
        assert icd10.load(folder).lookup("S13.4XXA") is True
    assert len(builds) == 2 and blocker.read_text() == "not a folder"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_cache_folder_still_answers(tmp_path, builds):
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        assert icd10.load(folder).lookup("S13.4XXA") is True
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


# --- the descriptions file ---

def descriptions_file(version=None):
    return icd10.descriptions_file_name(version or icd10.package_version())


def test_descriptions_built_once_then_reused(descriptions_folder, index, descriptions, monkeypatch):
    assert sorted(p.name for p in descriptions_folder.iterdir()) == [descriptions_file()]
    path = descriptions_folder / descriptions_file()
    assert path.read_bytes().startswith(b"payerkit-icd10cm-descriptions 1 ")
    assert path.stat().st_size < 4_000_000

    def no_parsing(*args):
        raise AssertionError("the XML was parsed again")

    for name in ["build_descriptions", "build_entries", "data_files"]:
        monkeypatch.setattr(icd10, name, no_parsing)
    again = icd10.load_descriptions(descriptions_folder, index)
    assert [again.get(code) for code in index] == [descriptions.get(code) for code in index]


def test_descriptions_next_to_the_index(tmp_path, description_builds, builds):
    first = icd10.load_descriptions(tmp_path)
    assert first.get("S13.4XXA") == "Invented sprain, first" and first.get("S134XXA") is not None
    assert first.get("Q99.99X") == "" and first.get("A00.1") is None
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([
        icd10.cache_file_name(icd10.package_version()), descriptions_file()])
    again = icd10.load_descriptions(tmp_path)
    assert again.get("A00") == "Invented category"
    assert len(builds) == 1 and len(description_builds) == 1


def test_descriptions_for_a_new_package_version_are_rebuilt(tmp_path, monkeypatch,
                                                            description_builds):
    icd10.load_descriptions(tmp_path)
    icd10.load_descriptions(tmp_path)
    assert len(description_builds) == 1
    monkeypatch.setattr(icd10, "package_version", lambda: "99.1+local")
    assert icd10.load_descriptions(tmp_path).get("A00.0") == "Invented leaf"
    assert description_builds[1:] == ["99.1+local"]
    assert (tmp_path / descriptions_file("99.1+local")).is_file()
    icd10.load_descriptions(tmp_path)
    assert len(description_builds) == 2
    assert len(list(tmp_path.iterdir())) == 4  # each version has its index and descriptions


def damaged_descriptions(data):
    header, body = data.split(b"\n", 1)
    flipped = bytearray(body)
    flipped[-2] ^= 1
    fields = header.split(b" ")
    yield "truncated", data[:-3]
    yield "header only", header + b"\n"
    yield "half a header", header[:20]
    yield "empty", b""
    yield "garbage", os.urandom(200)
    yield "a changed byte", header + b"\n" + bytes(flipped)
    yield "a longer file", data + b"\0"
    yield "another format", data.replace(b"descriptions 1 ", b"descriptions 7 ", 1)
    yield "another version", data.replace(icd10.package_version().encode(), b"0.0.0", 1)
    yield "another index", b" ".join(fields[:4] + [b"%08x" % (int(fields[4], 16) ^ 1)]
                                     + fields[5:]) + b"\n" + body
    yield "a bad count", b" ".join(fields[:3] + [b"x"] + fields[4:]) + b"\n" + body
    yield "an index file", fake_files(icd10.package_version())[0]


@pytest.mark.parametrize("kind", [kind for kind, _ in damaged_descriptions(fake_files("1.0")[1])])
def test_a_damaged_descriptions_file_is_rebuilt(tmp_path, description_builds, builds, kind):
    version = icd10.package_version()
    index_data, good = fake_files(version)
    (tmp_path / icd10.cache_file_name(version)).write_bytes(index_data)
    path = tmp_path / descriptions_file()
    path.write_bytes(dict(damaged_descriptions(good))[kind])
    assert icd10.load_descriptions(tmp_path).get("S13.4XXA") == "Invented sprain, first"
    assert len(description_builds) == 1 and builds == []
    assert path.read_bytes() == good
    assert len(list(tmp_path.iterdir())) == 2


def test_descriptions_of_a_stale_index(tmp_path, description_builds, builds):
    """The package's files changed under the same version: the index file no longer matches
    what the XML gives. The answers come from the new build, and both files are rewritten."""
    version = icd10.package_version()
    stale = {**FAKE, "A01": True}
    (tmp_path / icd10.cache_file_name(version)).write_bytes(icd10.encode(stale, version))
    found = icd10.load_descriptions(tmp_path)
    assert found.get("S13.4XXA") == "Invented sprain, first" and found.get("A01") is None
    assert (tmp_path / icd10.cache_file_name(version)).read_bytes() == fake_files(version)[0]
    assert icd10.load_descriptions(tmp_path).get("A00") == "Invented category"
    assert len(description_builds) == 1 and builds == []


def test_no_temporary_descriptions_file_is_left_when_the_move_fails(tmp_path, monkeypatch,
                                                                    description_builds):
    def refuse(*args):
        raise PermissionError("no")

    monkeypatch.setattr(icd10.os, "replace", refuse)
    assert icd10.load_descriptions(tmp_path).get("S13.4XXA") == "Invented sprain, first"
    assert list(tmp_path.iterdir()) == []


def test_an_unusable_cache_folder_still_describes(tmp_path, description_builds, builds):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for folder in [blocker, blocker / "cache"]:
        assert icd10.load_descriptions(folder).get("S13.4XXA") == "Invented sprain, first"
    assert len(description_builds) == 2 and len(builds) == 2
    assert blocker.read_text() == "not a folder"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_cache_folder_still_describes(tmp_path, description_builds, builds):
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        assert icd10.load_descriptions(folder).get("S13.4XXA") == "Invented sprain, first"
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


# --- processes that never import simple_icd_10_cm ---

CHILD = """
import json, sys
from payerkit.rules.codes import icd10_error
answers = [icd10_error(c) for c in ["M62.830", "s134xxa", "M54.5", "Q99.99X"]]
print(json.dumps({"answers": answers, "imported": "simple_icd_10_cm" in sys.modules}))
"""

EXPECTED = [None, None, "expected a complete (billable) ICD-10-CM code, not a category",
            "expected an ICD-10-CM code such as M62.830"]


def run_child(cache, *args):
    env = {**os.environ, icd10.CACHE_ENV: str(cache)}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120)


def test_a_warm_cache_never_imports_the_package(cache_folder, index):
    result = run_child(cache_folder, "-c", CHILD)
    assert result.returncode == 0 and result.stderr == ""
    assert json.loads(result.stdout) == {"answers": EXPECTED, "imported": False}


def test_building_in_memory_never_imports_the_package(tmp_path):
    """find_spec does not run the package; a file in the cache's way costs no error."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = run_child(blocker, "-c", CHILD)
    assert result.returncode == 0 and result.stderr == ""
    assert json.loads(result.stdout) == {"answers": EXPECTED, "imported": False}


def test_scrub_never_imports_the_package(cache_folder, index):
    script = ("import sys\nfrom payerkit.cli import main\ncode = main(['scrub', sys.argv[1]])\n"
              "print('simple_icd_10_cm' in sys.modules, code)")
    result = run_child(cache_folder, "-c", script, str(EXAMPLE))
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert result.stdout.splitlines() == ["ny-no-fault: no findings", "False 0"]


NF3_CHILD = """
import sys
from payerkit.cli import main
code = main(['claim', sys.argv[1], '--format', 'nf-3', '-o', sys.argv[2]])
from payerkit.formats.nf3 import icd_description
print(code, 'simple_icd_10_cm' in sys.modules, icd_description.cache_info().misses > 0)
"""


@pytest.mark.parametrize("warm", [True, False], ids=["warm cache", "empty cache"])
def test_writing_an_nf3_never_imports_the_package(cache_folder, index, descriptions_folder,
                                                  descriptions, tmp_path, warm):
    cache = tmp_path / "cache"
    cache.mkdir()
    if warm:
        shutil.copy(only_file(cache_folder), cache)
        shutil.copy(descriptions_folder / descriptions_file(), cache)
    before = {p.name: p.read_bytes() for p in cache.iterdir()}
    env = {**os.environ, icd10.CACHE_ENV: str(cache), "PAYERKIT_DATA_DIR": str(tmp_path / "data")}
    out = tmp_path / "x.pdf"
    result = subprocess.run([sys.executable, "-c", NF3_CHILD, str(EXAMPLE), str(out)],
                            capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stdout.splitlines()[-1] == "0 False True"
    assert out.read_bytes().startswith(b"%PDF")
    after = {p.name: p.read_bytes() for p in cache.iterdir()}
    assert sorted(after) == sorted([only_file(cache_folder).name, descriptions_file()])
    if warm:
        assert after == before  # read, not rebuilt
