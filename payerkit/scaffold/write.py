"""Writing a new adapter: the templates filled with its names, written whole or not at all.

The files are templates shipped in this package (``template/``, each ``<file>.tmpl``),
filled with :class:`string.Template` from the names :class:`AdapterNames` derives from
``NAME``; ``template/package`` becomes ``src/<module>``. A new adapter is written into a
temporary folder beside the target, renamed into place once every file is written. The
target must not exist, or be an empty folder; nothing is ever written over.
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
from importlib import resources
from pathlib import Path
from string import Template

from .. import __version__
from ..errors import OutputError
from ..files import make_folder, show
from .names import AdapterNames

SUFFIX = ".tmpl"
#: The template folder that becomes the adapter's package, ``src/<module>``.
PACKAGE = "package"


def requirement(version: str = __version__) -> str:
    """The payerkit versions an adapter made now works with: this minor release line
    (``payerkit>=0.2,<0.3`` for 0.2.x), whose hook contract it implements."""
    major, minor = (int(part) for part in version.split(".")[:2])
    upper = f"{major}.{minor + 1}" if major == 0 else f"{major + 1}"
    return f"payerkit>={major}.{minor},<{upper}"


def _values(names: AdapterNames) -> dict[str, str]:
    need = requirement()
    return {"name": names.name, "distribution": names.distribution, "module": names.module,
            "code": names.code, "title": names.title, "facts_class": names.facts_class,
            "requirement": need,
            "test_requirement": need.replace("payerkit", "payerkit[test]", 1)}


def _templates(folder=None, parts: tuple[str, ...] = ()):
    """``(relative parts, template)`` for every template file, folders depth first."""
    folder = folder or resources.files(__package__) / "template"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            yield from _templates(entry, (*parts, entry.name))
        elif entry.name.endswith(SUFFIX):
            yield (*parts, entry.name.removesuffix(SUFFIX)), entry


def render(names: AdapterNames) -> dict[str, bytes]:
    """The adapter's files: ``{relative path: content}``, paths with ``/``."""
    values = _values(names)
    files = {}
    for parts, template in _templates():
        if parts[0] == PACKAGE:
            parts = ("src", names.module, *parts[1:])
        text = Template(template.read_text(encoding="utf-8")).substitute(values)
        files["/".join(parts)] = text.encode("utf-8")
    return files


def new_adapter(name: str, target: str | os.PathLike | None = None) -> Path:
    """Write the adapter ``name`` into ``target`` (default ``./payerkit-<name>``); its path.

    Raises ``ValueError`` for a bad name and :class:`OutputError` for a target that exists
    (and is not an empty folder) or cannot be written; nothing is left behind then.
    """
    names = AdapterNames.of(name)
    given = Path(target if target is not None else names.distribution)
    files = render(names)
    _check_target(given)
    target = Path(os.path.abspath(given))  # "." and "a/.." have a name and a parent too
    parent = make_folder(target.parent)
    temp = parent / f".{target.name}.{secrets.token_hex(4)}.payerkit-tmp"
    try:
        temp.mkdir()
    except OSError as exc:
        raise _error(given, exc) from exc
    try:
        for relative, content in files.items():
            path = temp.joinpath(*relative.split("/"))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        if target.is_dir():
            target.rmdir()  # empty (checked): a folder is renamed over no other
        temp.rename(target)
    except BaseException as exc:
        shutil.rmtree(temp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise _error(given, exc) from exc
        raise
    return given


def _check_target(target: Path) -> None:
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _error(target, exc) from exc
    if not stat.S_ISDIR(st.st_mode):
        raise OutputError(f"cannot create the adapter in {show(target)}: it exists and is not "
                          "a folder; choose a new folder with -o")
    if any(target.iterdir()):
        raise OutputError(f"cannot create the adapter in {show(target)}: the folder is not "
                          "empty, and nothing is written over; choose a new folder with -o")


def _error(target: Path, exc: OSError) -> OutputError:
    return OutputError(f"cannot create the adapter in {show(target)}: "
                       f"{exc.strerror or type(exc).__name__} (nothing was written)")


__all__ = ["new_adapter", "render", "requirement"]
