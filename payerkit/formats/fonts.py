"""The fonts every payerkit PDF prints with, embedded in the PDF: the one place their names
live.

**Why embedded.** A PDF that names one of the 14 standard fonts (Helvetica, Courier) without
embedding it is drawn with whatever font the reader's machine maps that name to (DejaVu on
one machine, Liberation on another where a browser brought ``fonts-liberation``, Nimbus or
Arial elsewhere): the same claim then looks different from one reader, printer or test
machine to the next, and text can overrun a box drawn for Helvetica's widths. payerkit
embeds its own fonts, so every reader draws the same glyphs at the same places.

**Which.** Liberation Sans (regular and bold), metric-compatible with Arial, hence with
Helvetica's widths, for the forms' captions and values; Liberation Mono, metric-compatible
with Courier New, for the CMS-1500's values on the print grid. Liberation Fonts 2.1.5,
unmodified, under the SIL Open Font License 1.1 (``payerkit/data/fonts/OFL.txt``): the
licence lets the fonts be bundled with software and embedded in documents, and does not
extend to the documents. reportlab embeds only the glyphs a document uses (a subset), so a
one-page form stays a few tens of kilobytes.

**The print grid.** Liberation Mono's advance is 1229/2048 em (600.1 thousandths); the
CMS-1500's grid is Courier's pitch, 600 thousandths of an em (10 characters per inch at 12
points). payerkit declares 600 for every glyph of the mono font, so each character starts
exactly on its cell (the glyphs are drawn 0.02 % closer than the font's own spacing, which no
one can see).

**When.** The fonts are read and registered with reportlab once, on the first
:func:`width` or :func:`register` call (when a PDF is laid out or drawn), never when payerkit
or a writer's module is imported.

The characters payerkit prints are those of Windows-1252 (:func:`.nf3.printable_text`), all of
which the three fonts have (a test holds it).
"""

from __future__ import annotations

import functools
import re
from importlib import resources

#: The sans-serif font (captions, labels, values of the NF-3 and the superbill).
SANS = "LiberationSans"
SANS_BOLD = "LiberationSans-Bold"
#: The monospaced font (the CMS-1500's values on its character grid).
MONO = "LiberationMono"
#: Each font's file in ``payerkit/data/fonts``.
FILES = {SANS: "LiberationSans-Regular.ttf", SANS_BOLD: "LiberationSans-Bold.ttf",
         MONO: "LiberationMono-Regular.ttf"}
#: The mono font's advance, in thousandths of an em: Courier's, the print grid's pitch.
MONO_ADVANCE = 600


@functools.cache
def register() -> None:
    """Read the fonts and register them with reportlab, once per process."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = resources.files("payerkit") / "data" / "fonts"
    for name, file in FILES.items():
        with resources.as_file(folder / file) as path:
            font = TTFont(name, str(path))
        if name == MONO:
            face = font.face
            face.charWidths = dict.fromkeys(face.charWidths, MONO_ADVANCE)
            face.defaultWidth = MONO_ADVANCE
        pdfmetrics.registerFont(font)


def width(text: str, font: str, size: float) -> float:
    """``text``'s width in points in ``font`` at ``size`` points."""
    return _string_width()(text, font, size)


@functools.cache
def _string_width():
    register()
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth


__all__ = ["FILES", "MONO", "SANS", "SANS_BOLD", "register", "width"]


def wrap(text: str, room: float, font: str, size: float, *,
         break_after: str = "") -> list[str] | None:
    """``text`` in lines of at most ``room`` points, broken at spaces, and, inside a word
    wider than a line, after any character of ``break_after`` (``"/-"`` for payerkit's own
    words such as place names); ``None`` when a piece is still wider than a line (it would
    have to be cut, which no form does)."""
    pieces: list[tuple[str, str]] = []  # (text, what joins it to the piece before)
    for word in text.split(" "):
        if break_after and width(word, font, size) > room:
            parts = [part for part in re.split(f"(?<=[{re.escape(break_after)}])", word) if part]
            pieces += [(part, " " if k == 0 else "") for k, part in enumerate(parts)]
        else:
            pieces.append((word, " "))
    lines: list[str] = []
    current = ""
    for piece, glue in pieces:
        if width(piece, font, size) > room:
            return None
        candidate = f"{current}{glue}{piece}" if current else piece
        if width(candidate, font, size) <= room:
            current = candidate
        else:
            lines.append(current)
            current = piece
    return [*lines, current] if current else lines
