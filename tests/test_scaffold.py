"""``payerkit new-adapter NAME``: every name derived from NAME, a package written whole or not
at all, never over anything, that passes its own tests and payerkit's conformance suite as
written; and contrib/template is exactly its output for ``example-adapter``."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import payerkit
from payerkit.cli import main
from payerkit.errors import OutputError
from payerkit.scaffold.names import MAX_LENGTH, AdapterNames
from payerkit.scaffold.write import new_adapter, render, requirement

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "contrib" / "template"
#: What a checkout or an installation adds to contrib/template: not the scaffold's.
NOT_WRITTEN = {"__pycache__", ".pytest_cache", ".tox", ".venv", "build", "dist"}
REGENERATE = ("rm -r contrib/template && payerkit new-adapter example-adapter "
              "-o contrib/template")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its relative path, but what a checkout adds."""
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()
            and not any(part in NOT_WRITTEN or part.endswith(".egg-info")
                        for part in path.relative_to(folder).parts)}


def test_contrib_template_is_the_scaffold_output_for_example_adapter(tmp_path):
    written = tree(new_adapter("example-adapter", tmp_path / "template"))
    shipped = tree(TEMPLATE)
    assert sorted(shipped) == sorted(written), f"regenerate it: {REGENERATE}"
    differ = [name for name in written if shipped[name] != written[name]]
    assert differ == [], f"contrib/template differs from the scaffold; regenerate it: {REGENERATE}"


def test_every_name_is_derived_from_the_one_given():
    names = AdapterNames.of("acme-wa2")
    assert (names.name, names.distribution, names.module, names.code, names.title,
            names.facts_class) == ("acme-wa2", "payerkit-acme-wa2", "payerkit_acme_wa2",
                                   "ACME-WA2", "Acme wa2", "AcmeWa2Facts")
    files = render(names)
    pyproject = tomllib.loads(files["pyproject.toml"].decode())
    assert pyproject["project"]["name"] == "payerkit-acme-wa2"
    assert pyproject["project"]["entry-points"]["payerkit"] == {
        "acme-wa2": "payerkit_acme_wa2.plugin"}
    assert pyproject["tool"]["setuptools"]["package-data"] == {"payerkit_acme_wa2": ["data/*"]}
    assert pyproject["project"]["dependencies"] == [requirement(payerkit.__version__)]
    assert 'id="acme-wa2"' in files["src/payerkit_acme_wa2/plugin.py"].decode()
    left = [name for name, content in files.items()
            if any(other in content for other in (b"example-adapter", b"example_adapter",
                                                  b"EXAMPLE-ADAPTER", b"ExampleAdapter"))]
    assert left == [], "a name not derived from NAME"


@pytest.mark.parametrize("version, wanted", [("0.2.0", "payerkit>=0.2,<0.3"),
                                             ("0.10.3", "payerkit>=0.10,<0.11"),
                                             ("1.4.2", "payerkit>=1.4,<2")])
def test_an_adapter_requires_the_release_line_of_its_contract(version, wanted):
    assert requirement(version) == wanted


@pytest.mark.parametrize("name", ["Acme", "acme_wa", "acme--wa", "acme-", "9lives",
                                  "acme wa", "acmé", "", "payerkit-acme", "a" * (MAX_LENGTH + 1)])
def test_a_bad_name_is_a_usage_error(name, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stopped:
        main(["new-adapter", name])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "argument NAME: expected " in err
    assert list(tmp_path.iterdir()) == []


def test_the_default_folder_is_the_distributions_name(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["new-adapter", "acme-wa"]) == 0
    assert "payerkit-acme-wa" in capsys.readouterr().out
    assert (tmp_path / "payerkit-acme-wa" / "src" / "payerkit_acme_wa" / "plugin.py").is_file()


def test_an_empty_folder_is_filled(tmp_path, monkeypatch):
    (tmp_path / "new").mkdir()
    new_adapter("acme-wa", tmp_path / "new")
    assert (tmp_path / "new" / "pyproject.toml").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["new"]
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    new_adapter("acme-wa", ".")
    assert (tmp_path / "here" / "pyproject.toml").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["here", "new"]


def test_the_command_loads_no_plugin(tmp_path):
    """No kit is built: an installed plugin that is broken cannot stop a new one being made."""
    from test_lazy_imports import modules_after

    loaded = modules_after(["new-adapter", "acme-wa", "-o", str(tmp_path / "acme")])
    assert (tmp_path / "acme" / "pyproject.toml").is_file()
    assert sorted(m for m in loaded if m.startswith("payerkit_")) == []
    assert "payerkit_example_adapter" in modules_after(["programs"])  # what a kit loads


@pytest.mark.parametrize("kind, said", [("folder", "the folder is not empty"),
                                        ("file", "it exists and is not a folder"),
                                        ("link", "it exists and is not a folder")])
def test_nothing_is_written_over(kind, said, tmp_path, capsys):
    target = tmp_path / "taken"
    if kind == "folder":
        target.mkdir()
        (target / "notes.txt").write_text("mine")
    elif kind == "file":
        target.write_text("mine")
    else:
        (tmp_path / "elsewhere").mkdir()
        target.symlink_to(tmp_path / "elsewhere")
    before = tree(tmp_path)
    assert main(["new-adapter", "acme-wa", "-o", str(target)]) == 3
    assert said in capsys.readouterr().err
    assert tree(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["taken", *(["elsewhere"] if kind == "link" else [])])


@pytest.mark.parametrize("failure", [OSError(errno.ENOSPC, "No space left on device"),
                                     KeyboardInterrupt()])
def test_a_failed_write_leaves_nothing(failure, tmp_path, monkeypatch):
    written = []
    real = Path.write_bytes

    def write_bytes(path, data):
        if len(written) == 3:
            raise failure
        written.append(path)
        return real(path, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    expected = OutputError if isinstance(failure, OSError) else KeyboardInterrupt
    with pytest.raises(expected) as raised:
        new_adapter("acme-wa", tmp_path / "acme")
    assert list(tmp_path.iterdir()) == []
    if expected is OutputError:
        assert "No space left on device (nothing was written)" in str(raised.value)


def test_the_longest_name_still_makes_short_lines_of_valid_python():
    files = render(AdapterNames.of("a" * MAX_LENGTH))
    for name, content in files.items():
        if name.endswith(".py"):
            text = content.decode()
            compile(text, name, "exec")
            assert max(len(line) for line in text.splitlines()) <= 110, name


def test_payerkits_wheel_ships_every_template():
    package = Path(payerkit.__file__).parent
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]["payerkit"]
    shipped = {p for pattern in patterns for p in package.glob(pattern)}
    templates = set((package / "scaffold" / "template").rglob("*.tmpl"))
    assert templates and templates <= shipped


def test_the_new_adapter_passes_its_own_suite_as_written(tmp_path):
    """Generated, then run by pytest in a fresh interpreter, without pip: its source and a
    distribution's metadata (its entry point) on the path, as an installation would give."""
    folder = new_adapter("scaffold-check", tmp_path / "payerkit-scaffold-check")
    site = tmp_path / "site"
    info = site / "payerkit_scaffold_check-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: payerkit-scaffold-check\n"
                                   "Version: 0.1.0\n")
    (info / "entry_points.txt").write_text("[payerkit]\nscaffold-check = "
                                           "payerkit_scaffold_check.plugin\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(folder / "src"), str(site), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        "PAYERKIT_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "-W", "ignore::DeprecationWarning", str(folder / "tests")],
                          cwd=folder, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "skipped" not in done.stdout
