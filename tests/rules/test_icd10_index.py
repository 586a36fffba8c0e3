"""The ICD-10-CM index (payerkit.rules.icd10): the same answers as simple-icd-10-cm for every
code, its cache file (built once, rebuilt when stale or damaged, written atomically, optional),
and processes that check codes without importing the package."""

import json
import os
import string
import subprocess
import sys
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
