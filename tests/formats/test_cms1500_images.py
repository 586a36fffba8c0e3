"""The CMS-1500 images in docs/images are what the writers make today: each example's PDF is
rendered again with pdftoppm (poppler-utils) and compared with the committed PNG; a PDF
poppler cannot render fails the test.

After an intended change to the form, rewrite the images with
``PAYERKIT_REGEN_IMAGES=1 pytest tests/formats/test_cms1500_images.py`` and look at them
(``tests/doc_images.py`` says how close is close enough)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import attrs
import pytest
from doc_images import REGEN, assert_image_is_current
from PIL import Image

from payerkit import PayerKit, load_case
from payerkit.formats.cms1500_pdf import write_cms1500
from payerkit.formats.cms1500_red import alignment_page, write_cms1500_red
from payerkit.formats.options import WriteOptions

ROOT = Path(__file__).parents[2]
IMAGES = ROOT / "docs" / "images"
DOC = ROOT / "docs" / "paper-claims.md"
OPTIONS = WriteOptions(now=dt.datetime(2026, 3, 20, 9, 30))
RESOLUTION = 80  # dots per inch: a Letter page is 680 x 880
EXAMPLES = ("ny-covered", "premera-covered", "ct-wc-covered")
WRITERS = {"cms-1500": write_cms1500,
           "cms-1500-red": lambda claim, options: write_cms1500_red(claim, options, (0, 0))}
IMAGE_NAMES = [f"{fmt}-{name}.png" for fmt in WRITERS for name in EXAMPLES] + \
    ["cms-1500-red-alignment.png"]

pdftoppm = shutil.which("pdftoppm")
needs_poppler = pytest.mark.skipif(
    pdftoppm is None, reason="pdftoppm is not installed (Debian: apt-get install poppler-utils; "
    ".ci/run installs it), so the PDFs cannot be rendered here")


def pdf_for(image: str) -> bytes:
    if image == "cms-1500-red-alignment.png":
        return alignment_page((0.0, 0.0))
    stem = image.removesuffix(".png")
    for fmt, write in WRITERS.items():
        for name in EXAMPLES:
            if stem == f"{fmt}-{name}":
                claim = PayerKit().build_claim(load_case(ROOT / "examples" / f"{name}.toml"))
                return write(claim, OPTIONS)
    raise KeyError(image)


def render(pdf: bytes, tmp_path: Path) -> Image.Image:
    """The PDF's first page as pdftoppm renders it; fails when poppler cannot."""
    source = tmp_path / "form.pdf"
    source.write_bytes(pdf)
    done = subprocess.run([pdftoppm, "-png", "-r", str(RESOLUTION), "-f", "1", "-l", "1",
                           "-singlefile", str(source), str(tmp_path / "form")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"pdftoppm could not render the PDF: {done.stderr}"
    assert not done.stderr.strip(), f"pdftoppm complained: {done.stderr}"
    image = Image.open(tmp_path / "form.png")
    image.load()
    return image


@needs_poppler
@pytest.mark.parametrize("image", IMAGE_NAMES)
def test_the_docs_images_are_what_the_writers_make(image, tmp_path):
    assert_image_is_current(render(pdf_for(image), tmp_path), IMAGES / image)


@needs_poppler
@pytest.mark.parametrize("write", list(WRITERS.values()), ids=list(WRITERS))
def test_every_page_of_a_long_claim_renders(write, tmp_path):
    claim = PayerKit().build_claim(load_case(ROOT / "examples" / "ny-covered.toml"))
    line = claim.lines[0]
    claim = attrs.evolve(claim, lines=[attrs.evolve(line, date=line.date + dt.timedelta(days=i))
                                       for i in range(13)])
    source = tmp_path / "claim.pdf"
    source.write_bytes(write(claim, OPTIONS))
    done = subprocess.run([pdftoppm, "-png", "-r", "30", str(source), str(tmp_path / "page")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
    assert sorted(p.name for p in tmp_path.glob("page*.png")) == \
        ["page-1.png", "page-2.png", "page-3.png"]


def test_the_docs_page_shows_every_image():
    text = DOC.read_text(encoding="utf-8")
    for image in IMAGE_NAMES:
        assert f"images/{image}" in text, image
        assert REGEN or (IMAGES / image).exists(), image
        assert (IMAGES / image).stat().st_size < 150_000 if (IMAGES / image).exists() else True
