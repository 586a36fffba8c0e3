"""One pipeline behind every door: the Python API (evaluate, then write), ``payerkit claim``,
``payerkit demo`` and ``payerkit batch`` (per case and into interchanges, one process or
several) make the same bytes for the same case and control numbers, and ask each question
hook once per visit and render each claim once on the way."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payerkit import PayerKit, hookimpl, load_case
from payerkit.cli import main
from payerkit.formats.options import ControlNumbers, WriteOptions
from payerkit.testing.x12 import parse_segments, semantic_errors_837p

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
#: A case of each shape: a New York no-fault bill with program facts and a patient who is
#: not the insured, a Premera claim with a rule set (Washington's law) on its route.
CASES = ("ny-covered.toml", "premera-covered.toml")
QUESTIONS = ("payerkit_outcomes", "payerkit_units", "payerkit_fee_schedule",
             "payerkit_adjust_pricing", "payerkit_scrub", "payerkit_filing_deadline",
             "payerkit_visit_limits", "payerkit_payment_terms")


class Counting:
    """A local plugin noting each question it is asked in a file (worker processes too)."""

    def __init__(self, log: Path):
        self.log = log
        for hook in QUESTIONS:
            setattr(self, hook, hookimpl(specname=hook)(self._noter(hook)))

    def _noter(self, hook: str):
        def note():
            _note(self.log, hook)
        return note


def _note(log: Path, what: str) -> None:
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, f"{what}\n".encode())
    finally:
        os.close(fd)


def counted(log: Path) -> Counter:
    return Counter(log.read_text().split()) if log.exists() else Counter()


@pytest.fixture
def doors(tmp_path, monkeypatch):
    """Every door's kit carries the counting plugin; each 837P rendering of a claim (its 2300
    loop) and each reading of program facts is noted too."""
    from payerkit import io
    from payerkit.formats import x12_837p

    log = tmp_path / "calls.log"
    render, facts = x12_837p._claim, io.structure_facts

    def rendering(*args):
        _note(log, "render-837p")
        return render(*args)

    def structuring(*args):
        _note(log, "facts")
        return facts(*args)

    monkeypatch.setattr(x12_837p, "_claim", rendering)
    monkeypatch.setattr(io, "structure_facts", structuring)

    def kit() -> PayerKit:
        made = PayerKit()
        made.register(Counting(log))
        return made

    monkeypatch.setattr("payerkit.commands.PayerKit", kit)
    return kit, log


def data_dir(monkeypatch, path: Path) -> Path:
    """A fresh control-number counter: each door's first claim is number 1."""
    monkeypatch.setenv("PAYERKIT_DATA_DIR", str(path))
    return path


def cases_folder(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / f"cases-{name}"
    folder.mkdir()
    shutil.copy(EXAMPLES / name, folder)
    for fees in EXAMPLES.glob("*.csv"):
        shutil.copy(fees, folder)
    return folder


_TIMES = [re.compile(p) for p in (r"^(ISA(?:\*[^*]*){8})\*\d{6}\*\d{4}",
                                  r"^(GS(?:\*[^*]*){3})\*\d{8}\*\d{4}",
                                  r"^(BHT(?:\*[^*]*){3})\*\d{8}\*\d{4}")]


def timeless(data: bytes) -> str:
    """An 837P with the moment of writing (the envelope's dates and times) zeroed."""
    lines = data.decode("ascii").splitlines(keepends=True)
    for pattern in _TIMES:
        lines = [pattern.sub(lambda m: m.group(1) + re.sub(r"\d", "0", m.group(0)[len(
            m.group(1)):]), line) for line in lines]
    return "".join(lines)


def claim_segments(text: str) -> list[list[str]]:
    """The claim's own segments: from the first HL to the last before SE."""
    segments = parse_segments(text)
    first = next(i for i, s in enumerate(segments) if s[0] == "HL")
    last = max(i for i, s in enumerate(segments) if s[0] == "SE")
    return segments[first:last]


@pytest.mark.parametrize("name", CASES)
def test_every_door_makes_the_same_claim_asking_each_question_once(name, doors, tmp_path,
                                                                   monkeypatch, capsys):
    kit, log = doors
    folder = cases_folder(tmp_path, name)
    path = folder / name
    case = load_case(path)
    once = {hook: 1 for hook in QUESTIONS} | {"render-837p": 1}
    if name.startswith("ny-"):
        once["facts"] = 1  # New York no-fault declares program facts: read once per claim
    made: dict[str, bytes] = {}

    def door(label: str, run) -> None:
        log.unlink(missing_ok=True)
        data_dir(monkeypatch, tmp_path / f"data-{label}")
        run(tmp_path / f"out-{label}")
        assert counted(log) == Counter(once), label

    def api(out: Path) -> None:
        ev = kit().evaluate(case, written_on=dt.date.today())
        made["api"] = ev.write("x12-837p", WriteOptions(ControlNumbers(1, 1, 1)))

    def claim(out: Path) -> None:
        assert main(["claim", str(path), "-o", str(out.with_suffix(".837"))]) == 0
        made["claim"] = out.with_suffix(".837").read_bytes()

    def demo(out: Path) -> None:
        assert main(["demo", str(folder), "-o", str(out)]) == 0
        made["demo"] = (out / f"{path.stem}.837").read_bytes()

    def batch(jobs: str, per_case: bool):
        def run(out: Path) -> None:
            argv = ["batch", str(path), "-o", str(out), "-j", jobs, "-q"]
            assert main([*argv, "--per-case"] if per_case else argv) == 0
            [result] = [json.loads(line) for line in (out / "results.jsonl").open()]
            made[f"batch -j {jobs}{' per case' if per_case else ''}"] = \
                (out / result["claim"]["file"]).read_bytes()
        return run

    door("claim", claim)
    door("demo", demo)
    for jobs in ("1", "2"):
        door(f"batch-{jobs}", batch(jobs, per_case=False))
        door(f"batch-{jobs}-per-case", batch(jobs, per_case=True))
    door("api", api)
    capsys.readouterr()

    single = {label: timeless(data) for label, data in made.items() if "-j" not in label
              or "per case" in label}
    assert len(set(single.values())) == 1, sorted(single)  # the same bytes, numbers and all
    expected = claim_segments(single["api"])
    for label in ("batch -j 1", "batch -j 2"):  # an interchange: the batch's envelope
        text = made[label].decode("ascii")
        assert semantic_errors_837p(text) == []
        assert claim_segments(text) == expected, label
        assert parse_segments(text)[0][13] == "000000001"  # ISA13, from the fresh counter


def test_a_claim_in_another_format_is_rendered_once_and_warned_of_its_own_format(
        doors, tmp_path, monkeypatch, capsys):
    """``payerkit claim --format`` judges the format it writes: the scrub's warnings are that
    format's, from the one pass that wrote the claim."""
    kit, log = doors
    data_dir(monkeypatch, tmp_path / "data")
    path = EXAMPLES / "ny-covered.toml"
    out = tmp_path / "ny.pdf"
    assert main(["claim", str(path), "--format", "nf-3", "-o", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    expected = kit().scrub(load_case(path), format="nf-3", written_on=dt.date.today())
    assert summary["warnings"] == [json.loads(json.dumps(w)) for w in
                                   _findings_json(expected.findings)]
    assert counted(log)["payerkit_outcomes"] == 2  # the claim command's pass, and this scrub's
    assert out.read_bytes().startswith(b"%PDF")


def _findings_json(findings):
    from payerkit.output import finding_json

    return [finding_json(f) for f in findings]


def test_the_core_checks_import_no_writer():
    """The checks every claim gets are the core's; what a format cannot carry is the format's
    (``payerkit.formats`` itself holds only the formats' ids)."""
    probe = ("import sys, payerkit.checks; "
             "print(sorted(m for m in sys.modules if m.startswith('payerkit.formats.')))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


# ------------------------------------------------------------------ formats in batch


def _lines_format():
    """An invented format that streams: one text line per claim, one file per payer id."""
    from types import SimpleNamespace

    from payerkit.model import ClaimFormat, Rendering

    def render(claim):
        return Rendering("text-lines", f"{claim.id} {claim.total_charge}", [],
                         (claim.payer_id,), claim.payer_id)

    def write(rendering, options):
        return f"{rendering.content}\n".encode()

    class Lines:
        def __init__(self, out):
            self.out, self.claims = out, 0

        def add(self, rendering):
            self.out.write(write(rendering, None))
            self.claims += 1
            return {"line": self.claims}

        def close(self):
            return SimpleNamespace(claims=self.claims)

    return ClaimFormat("text-lines", "Invented text lines", ".txt", "text/plain", write,
                       render=render, stream=lambda out, numbers, options: Lines(out))


def _plugin_formats_kit():
    """The sample adapter taking the 837P, a plugin's streaming format and a plugin's
    claim-writing format (contract 2: ``write(claim, options)`` and ``check``)."""
    import attrs
    from case_samples import SampleAdapter

    from payerkit.model import ClaimFormat

    class Formats:
        @hookimpl
        def payerkit_claim_formats(self):
            return [_lines_format(), ClaimFormat(
                "text-bill", "Invented text bill", ".txt", "text/plain",
                lambda claim, options: f"bill {claim.id}\n".encode(), lambda claim: [])]

    class Adapter(SampleAdapter):
        program = attrs.evolve(SampleAdapter.program,
                               claim_formats=("x12-837p", "text-lines", "text-bill"))

    return PayerKit(entry_points=False, plugins=[Adapter(), Formats()])


def _sample_cases(folder: Path, n: int) -> list:
    from case_samples import BASE_CASE

    from payerkit.batch import find_items

    folder.mkdir()
    for i in range(n):
        data = json.loads(json.dumps(BASE_CASE, default=str))
        data["patient"]["first_name"] = f"PATIENT{i}"
        data["coverage"]["member_id"] = f"M{i:05d}"
        (folder / f"case-{i}.json").write_text(json.dumps(data))
    return list(find_items([str(folder)]))


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_plugins_streaming_format_streams_in_batch(jobs, tmp_path, payerkit_data_dir):
    from payerkit.batch import BatchSettings, run_batch

    kit = _plugin_formats_kit()
    items = _sample_cases(tmp_path / "cases", 3)
    summary = run_batch(items, BatchSettings(tmp_path / "out", format="text-lines"), kit=kit,
                        jobs=jobs)
    results = [json.loads(line) for line in (tmp_path / "out" / "results.jsonl").open()]
    assert [r["claim"] for r in results] == [
        {"format": "text-lines", "file": "99999.text-lines", "line": n} for n in (1, 2, 3)]
    lines = (tmp_path / "out" / "99999.text-lines").read_text().splitlines()
    assert lines == [ev.write("text-lines").decode().strip() for ev in
                     (kit.evaluate(item.load(), format="text-lines") for item in items)]
    assert summary.json()["interchanges"] == [{
        "file": "99999.text-lines", "receiver_id": "99999", "interchange": None, "claims": 3,
        "transactions": None}]


def test_a_plugins_claim_writing_format_is_one_file_per_case_in_batch(tmp_path,
                                                                      payerkit_data_dir):
    from payerkit.batch import BatchSettings, run_batch

    kit = _plugin_formats_kit()
    items = _sample_cases(tmp_path / "cases", 2)
    run_batch(items, BatchSettings(tmp_path / "out", format="text-bill"), kit=kit)
    results = [json.loads(line) for line in (tmp_path / "out" / "results.jsonl").open()]
    for item, result in zip(items, results, strict=True):
        assert result["claim"] == {"format": "text-bill",
                                   "file": f"claims/{Path(item.source).stem}.text-bill"}
        claim = kit.evaluate(item.load(), format="text-bill").write("text-bill")
        assert (tmp_path / "out" / result["claim"]["file"]).read_bytes() == claim


class Rewriter:
    """A local plugin writing a payer's 837P itself, for one member only."""

    @hookimpl
    def payerkit_format_claim(self, case, claim_format):
        if claim_format.id == "x12-837p" and case.coverage.member_id == "M00001":
            return b"the payer's own 837P"
        return None


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_plugins_own_837p_applies_in_batch_as_in_claim(jobs, tmp_path, payerkit_data_dir):
    """``payerkit_format_claim`` used to apply to ``payerkit claim`` only: batch wrote every
    claim into the interchange with the shared writer."""
    from payerkit.batch import BatchSettings, run_batch

    kit = _plugin_formats_kit()
    kit.register(Rewriter())
    items = _sample_cases(tmp_path / "cases", 3)
    run_batch(items, BatchSettings(tmp_path / "out"), kit=kit, jobs=jobs)
    results = [json.loads(line) for line in (tmp_path / "out" / "results.jsonl").open()]
    assert results[1]["claim"] == {"format": "x12-837p", "file": "claims/case-1.837"}
    assert (tmp_path / "out" / "claims" / "case-1.837").read_bytes() == \
        kit.claim(items[1].load(), "x12-837p") == b"the payer's own 837P"
    assert [r["claim"]["file"] for r in results if r is not results[1]] == ["99999.837"] * 2
    text = (tmp_path / "out" / "99999.837").read_text()
    assert text.count("CLM*") == 2 and semantic_errors_837p(text) == []


@settings(max_examples=200, deadline=None)
@given(member=st.text(min_size=1, max_size=20),
       days=st.lists(st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)), min_size=1,
                     max_size=3))
def test_a_claim_id_is_the_digests_first_base32_letters(member, days):
    """The claim id (CLM01, box 26) is computed without the base64 module: the same letters."""
    import base64
    import hashlib

    from case_samples import make_case

    from payerkit.claims import claim_id

    case = make_case()
    case = attrs.evolve(case, coverage=attrs.evolve(case.coverage, member_id=member))
    visits = [attrs.evolve(case.visits[0], date=day) for day in sorted(days)]
    text = f"{case.program}|{member}|{','.join(d.isoformat() for d in sorted(days))}"
    digest = base64.b32encode(hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest())
    assert claim_id(case, visits) == f"PK{min(days):%y%m%d}{digest.decode()[:6]}"


def test_the_demo_renders_each_paper_form_once(tmp_path, monkeypatch, capsys,
                                               payerkit_data_dir):
    """What a paper form's check lays out is what is drawn: the NF-3's layout, the CMS-1500's
    boxes (once per CMS-1500 format) and the superbill's texts (once for the PDF, once for
    the HTML) are each made once per claim, not once to check and again to write."""
    from payerkit.formats import cms1500, nf3, superbill

    made = Counter()

    def counting(module, name):
        real = getattr(module, name)

        def counted_call(*args, **kwargs):
            made[name] += 1
            return real(*args, **kwargs)
        monkeypatch.setattr(module, name, counted_call)

    counting(nf3, "_layout")
    counting(cms1500, "_pages")
    counting(superbill, "statement")
    folder = cases_folder(tmp_path, "ny-covered.toml")
    assert main(["demo", str(folder), "-o", str(tmp_path / "out")]) == 0
    written = json.loads((tmp_path / "out" / "ny-covered.json").read_text())["claim_files"]
    assert {"ny-covered.nf-3.pdf", "ny-covered.cms-1500.pdf", "ny-covered.superbill.html",
            "ny-covered.cms-1500-red.pdf", "ny-covered.superbill.pdf"} <= set(written)
    assert made == Counter({"_layout": 1, "_pages": 2, "statement": 2})
    capsys.readouterr()


def test_a_value_a_plugins_writer_refuses_is_the_cases_result_in_batch(tmp_path,
                                                                       payerkit_data_dir):
    """A claim-writing format with no check refuses a value only as it writes: the case is
    refused, its result line's scrub naming the value's case field after the scrub's own."""
    import attrs
    from case_samples import SampleAdapter

    from payerkit.batch import BatchSettings, run_batch
    from payerkit.errors import FormatError
    from payerkit.model import ClaimFormat
    from payerkit.output import scrub_json

    def write(claim, options):
        raise FormatError("member_id", "at most 3 characters")

    class Formats:
        @hookimpl
        def payerkit_claim_formats(self):
            return [ClaimFormat("tiny-bill", "Invented tiny bill", ".txt", "text/plain", write)]

    class Adapter(SampleAdapter):
        program = attrs.evolve(SampleAdapter.program, claim_formats=("tiny-bill",))

    kit = PayerKit(entry_points=False, plugins=[Adapter(), Formats()])
    items = _sample_cases(tmp_path / "cases", 1)
    summary = run_batch(items, BatchSettings(tmp_path / "out", format="tiny-bill"), kit=kit)
    [result] = [json.loads(line) for line in (tmp_path / "out" / "results.jsonl").open()]
    ev = kit.evaluate(items[0].load(), format="tiny-bill", written_on=dt.date.today())
    refused = scrub_json(ev.scrub)
    refused["findings"].append({
        "severity": "error", "code": "FORMAT-LIMIT", "path": "coverage.member_id",
        "message": "coverage.member_id: at most 3 characters (Invented tiny bill)",
        "citation": {"source": "Invented tiny bill", "edition": None, "confidence": "rule",
                     "url": None}})
    assert (result["status"], result["claim"], result["scrub"]) == ("refused", None, refused)
    assert summary.errors == Counter({"FORMAT-LIMIT": 1})


def test_a_streaming_formats_failure_is_its_plugins(tmp_path, payerkit_data_dir):
    """A plugin's stream that fails is a PluginError naming that plugin (its type only): the
    run stops and writes nothing, as for any failure of the run's own files."""
    import attrs
    from case_samples import SampleAdapter

    from payerkit.batch import BatchSettings, run_batch
    from payerkit.errors import PluginError

    class Broken:
        def add(self, rendering):
            raise RuntimeError("patient Jane Roe")

        def close(self):
            return None

    class Formats:
        @hookimpl
        def payerkit_claim_formats(self):
            return [attrs.evolve(_lines_format(), stream=lambda out, numbers, options: Broken())]

    class Adapter(SampleAdapter):
        program = attrs.evolve(SampleAdapter.program, claim_formats=("text-lines",))

    kit = PayerKit(entry_points=False, plugins=[Adapter(), Formats()])
    items = _sample_cases(tmp_path / "cases", 2)
    with pytest.raises(PluginError) as caught:
        run_batch(items, BatchSettings(tmp_path / "out", format="text-lines"), kit=kit)
    assert str(caught.value) == ("the text-lines writer of plugin 'Formats' (not installed) "
                                 "failed: RuntimeError")
    assert not (tmp_path / "out" / "results.jsonl").exists()
