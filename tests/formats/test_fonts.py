"""Every PDF payerkit writes carries its own fonts: nothing is left to the reader's machine.

The fonts (Liberation Sans and Mono, SIL OFL 1.1, shipped in ``payerkit/data/fonts``) are
embedded in every PDF; pdftoppm draws the same pixels whether the machine has no font at
all, its own fonts, or the Liberation fonts installed as system fonts (what a browser's
``fonts-liberation`` brings) — so the golden images hold on any machine."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pdfplumber
import pytest
from pdfminer.pdftypes import resolve1
from PIL import Image, ImageChops
from plan_report_samples import wa_report
from statement_samples import wa_statement

from payerkit import PayerKit, load_case
from payerkit.formats import fonts
from payerkit.formats.cms1500_pdf import write_cms1500
from payerkit.formats.cms1500_red import alignment_page, write_cms1500_red
from payerkit.formats.nf3 import printable_text, write_nf3
from payerkit.formats.options import WriteOptions
from payerkit.formats.patient_statement import write_patient_statement
from payerkit.formats.progress_report import write_progress_report
from payerkit.formats.superbill import write_superbill

ROOT = Path(__file__).resolve().parents[2]
FONT_DIR = ROOT / "payerkit" / "data" / "fonts"
OPTIONS = WriteOptions(now=dt.datetime(2026, 3, 20, 9, 0))
STANDARD_14 = {"Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica",
               "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman",
               "Times-Bold", "Times-Italic", "Times-BoldItalic", "Symbol", "ZapfDingbats"}


def claim(name: str):
    return PayerKit().build_claim(load_case(ROOT / "examples" / f"{name}.toml"))


PDFS = {
    "cms-1500": lambda: write_cms1500(claim("ny-covered"), OPTIONS),
    "cms-1500-red": lambda: write_cms1500_red(claim("ny-covered"), OPTIONS, (0, 0)),
    "cms-1500-red-alignment": lambda: alignment_page((0.0, 0.0)),
    "nf-3": lambda: write_nf3(claim("ny-covered"), OPTIONS),
    "superbill": lambda: write_superbill(claim("premera-covered"), OPTIONS),
    "patient-statement": lambda: write_patient_statement(wa_statement()),
    "progress-report": lambda: write_progress_report(wa_report()),
}


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    return {name: make() for name, make in PDFS.items()}


def page_fonts(data: bytes) -> list[dict]:
    """Every font resource of every page, resolved (a Type0 font: its descendant)."""
    found = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            resources = resolve1(page.page_obj.resources) or {}
            for font in (resolve1(resources.get("Font")) or {}).values():
                font = resolve1(font)
                for descendant in resolve1(font.get("DescendantFonts")) or ():
                    font = resolve1(descendant)
                found.append(font)
    return found


def base_name(font: dict) -> str:
    name = resolve1(font.get("BaseFont"))
    name = getattr(name, "name", name)
    name = name.decode() if isinstance(name, bytes) else str(name)
    return name.split("+", 1)[-1]


@pytest.mark.parametrize("name", list(PDFS))
def test_every_font_of_every_pdf_is_embedded(pdfs, name):
    found = page_fonts(pdfs[name])
    assert found, "no font at all"
    for font in found:
        assert base_name(font) not in STANDARD_14, base_name(font)
        descriptor = resolve1(font.get("FontDescriptor")) or {}
        assert any(key in descriptor for key in ("FontFile", "FontFile2", "FontFile3")), \
            f"{base_name(font)} is not embedded"
        assert base_name(font) in {"LiberationSans", "LiberationSans-Bold", "LiberationMono"}


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) absent")
@pytest.mark.parametrize("name", list(PDFS))
def test_pdffonts_says_every_font_is_embedded(pdfs, name, tmp_path):
    source = tmp_path / "form.pdf"
    source.write_bytes(pdfs[name])
    listing = subprocess.run(["pdffonts", str(source)], capture_output=True, text=True,
                             timeout=60, check=True).stdout.splitlines()[2:]
    assert listing
    for row in listing:  # name type encoding emb sub uni object ID
        emb, sub, uni = row.split()[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row


# ------------------------------------------------------------------ the same pixels anywhere


def fontconfig(tmp_path: Path, name: str, folder: Path | None) -> dict[str, str]:
    """An environment whose fontconfig sees only ``folder``'s fonts (none when ``None``)."""
    home = tmp_path / name
    (home / "cache").mkdir(parents=True)
    fonts_dir = folder or home / "no-fonts"
    fonts_dir.mkdir(exist_ok=True)
    conf = home / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
                    f"<fontconfig><dir>{fonts_dir}</dir><cachedir>{home / 'cache'}</cachedir>"
                    "</fontconfig>\n")
    return {"FONTCONFIG_FILE": str(conf)}


def render(data: bytes, tmp_path: Path, env: dict[str, str]) -> Image.Image:
    import os

    source = tmp_path / "form.pdf"
    source.write_bytes(data)
    stem = tmp_path / f"page-{len(list(tmp_path.glob('page-*')))}"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                    str(source), str(stem)], check=True, capture_output=True, timeout=60,
                   env={**os.environ, **env})
    image = Image.open(f"{stem}.png").convert("RGB")
    image.load()
    return image


@pytest.mark.skipif(shutil.which("pdftoppm") is None,
                    reason="pdftoppm (poppler-utils) is not installed: apt-get install poppler-utils")
@pytest.mark.parametrize("name", list(PDFS))
def test_the_pixels_do_not_depend_on_the_machines_fonts(pdfs, name, tmp_path):
    """No fonts, this machine's fonts, the Liberation fonts installed as system fonts: one
    image (before embedding, Helvetica and Courier were drawn with whatever each had)."""
    liberation = tmp_path / "system-liberation"
    liberation.mkdir()
    for file in fonts.FILES.values():
        shutil.copyfile(FONT_DIR / file, liberation / file)
    machine = render(pdfs[name], tmp_path, {})
    for setup, folder in (("none", None), ("liberation", liberation)):
        other = render(pdfs[name], tmp_path, fontconfig(tmp_path, setup, folder))
        assert ImageChops.difference(machine, other).getbbox() is None, \
            f"{name}: drawn differently with {setup} fonts on the machine"


# ------------------------------------------------------------------ the fonts themselves


def test_the_fonts_and_their_licence_ship_in_the_package():
    assert set(fonts.FILES) == {fonts.SANS, fonts.SANS_BOLD, fonts.MONO}
    for file in fonts.FILES.values():
        assert (FONT_DIR / file).read_bytes()[:4] == b"\x00\x01\x00\x00", file  # TrueType
    licence = (FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Reserved Font Name Liberation" in licence
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "data/fonts/*" in data["package-data"]["payerkit"]


def test_every_character_payerkit_prints_has_a_glyph_in_every_font():
    from reportlab.pdfbase import pdfmetrics

    fonts.register()
    printed = {char for code in range(0x20, 0x100)
               for char in printable_text(bytes([code]).decode("cp1252", "ignore"))}
    assert len(printed) > 200
    for name in fonts.FILES:
        face = pdfmetrics.getFont(name).face
        assert not [c for c in printed if ord(c) not in face.charToGlyph], name


def test_the_mono_font_has_couriers_pitch_exactly():
    """10 characters per inch at 12 points: the CMS-1500's print grid."""
    assert fonts.width("X" * 80, fonts.MONO, 12) == 80 * 7.2
    assert fonts.width("W.i|" * 20, fonts.MONO, 12) == 80 * 7.2


def test_the_fonts_are_read_only_when_a_pdf_is_laid_out():
    probe = ("import sys\nimport payerkit, payerkit.kit, payerkit.formats.nf3, "
             "payerkit.formats.superbill, payerkit.formats.cms1500_pdf, "
             "payerkit.formats.cms1500_red, payerkit.formats.page, "
             "payerkit.formats.patient_statement\n"
             "from reportlab.pdfbase import pdfmetrics\n"
             "from payerkit.formats import fonts\n"
             "print(fonts.SANS in pdfmetrics.getRegisteredFontNames())\n"
             "fonts.width('x', fonts.SANS, 8)\n"
             "print(fonts.SANS in pdfmetrics.getRegisteredFontNames())\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.split() == ["False", "True"]


@pytest.mark.parametrize("name", list(PDFS))
def test_a_form_stays_small(pdfs, name):
    """Only the glyphs a PDF uses are embedded (about 20 to 65 kB a form, most of it the
    fonts' hinting programs, which a subset keeps)."""
    assert len(pdfs[name]) < 100_000, len(pdfs[name])
