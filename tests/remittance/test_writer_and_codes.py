"""The test-only 835 writer, and the code descriptions a practice supplies."""

from __future__ import annotations

import attrs
import pytest

from payerkit.errors import RemittanceError
from payerkit.remittance import load_code_descriptions, read_835
from payerkit.testing.remit import Separators, sample_remittance, write_835
from payerkit.testing.x12 import parse_segments, validate_with_pyx12


def test_the_writer_counts_its_envelope_and_pyx12_accepts_it():
    first = sample_remittance(claims=20, st02="0001")
    second = sample_remittance(claims=3, st02="0002", trace="EFT0002", seed=2)
    third = attrs.evolve(sample_remittance(claims=1, st02="0001", trace="EFT0003", seed=3),
                         group_control_number="2")
    data = write_835([first, second, third])
    text = data.decode("ascii")
    assert validate_with_pyx12(text) == []
    segments = parse_segments(text)
    tags = [s[0] for s in segments]
    assert tags.count("GS") == 2 and tags.count("ST") == 3
    assert segments[-1] == ["IEA", "2", "000000001"]
    assert read_835(data) == (first, second, third)


def test_the_writer_writes_other_separators_pyx12_accepts():
    text = write_835([sample_remittance(claims=4)],
                     separators=Separators("|", ">", "!", "\n")).decode("ascii")
    assert text[3] == "|" and text[104] == ">" and text[105] == "\n"
    assert validate_with_pyx12(text) == []


def test_the_writer_refuses_a_value_holding_a_separator():
    remittance = sample_remittance(claims=1)
    with pytest.raises(ValueError, match="separator"):
        write_835([attrs.evolve(remittance, payer_name="A*B")])
    with pytest.raises(ValueError, match="separator"):
        write_835([remittance], separators=Separators(element="E"))  # 'E' is in the payee's name
    with pytest.raises(ValueError, match="ISA13"):
        write_835([remittance, attrs.evolve(remittance, interchange_control_number="000000002")])
    with pytest.raises(ValueError):
        write_835([])


def test_ten_thousand_claims_fit_one_file():
    data = write_835([sample_remittance(claims=10_000)])
    (r,) = read_835(data)
    assert len(r.claims) == 10_000 and r.claims[-1].claim_id == "PK0010000"


# -- Code descriptions ---------------------------------------------------------------------

def test_descriptions_are_read(tmp_path):
    path = tmp_path / "carc.csv"
    path.write_text('code,description\n45,"Our own words, with a comma"\nN130,Our words\n\n',
                    encoding="utf-8")
    assert load_code_descriptions(path) == {"45": "Our own words, with a comma",
                                            "N130": "Our words"}


def test_a_byte_order_mark_and_crlf_are_fine(tmp_path):
    path = tmp_path / "carc.csv"
    path.write_bytes(b"\xef\xbb\xbfCode,Description\r\n1,Ours\r\n")
    assert load_code_descriptions(path) == {"1": "Ours"}


@pytest.mark.parametrize("text, expected", [
    ("", ["line 1: expected the header 'code,description'"]),
    ("carc,text\n1,a\n", ["line 1: expected the header 'code,description'"]),
    ("code,description\n1,a\n2\n3,c,d\n", ["line 3: expected 2 fields (code,description), got 1",
                                          "line 4: expected 2 fields (code,description), got 3"]),
    ("code,description\n1,a\n,b\n2,\n", ["line 3: code is empty", "line 4: description is empty"]),
    ("code,description\n1,a\n2,b\n1,c\n", ["line 4: code '1' already given on line 2"]),
    ('code,description\n1,"a\n', ["line 2: not valid CSV"]),
])
def test_a_bad_descriptions_file_names_its_lines(tmp_path, text, expected):
    path = tmp_path / "codes.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RemittanceError) as caught:
        load_code_descriptions(path)
    found = caught.value.problems
    assert len(found) == len(expected)
    for problem, want in zip(found, expected, strict=True):
        assert want in problem and "codes.csv" in problem


def test_an_unreadable_descriptions_file(tmp_path):
    with pytest.raises(RemittanceError, match="no such file"):
        load_code_descriptions(tmp_path / "none.csv")
    with pytest.raises(RemittanceError, match="cannot read"):
        load_code_descriptions(tmp_path)
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"code,description\n1,caf\xe9\n")
    with pytest.raises(RemittanceError, match="line 2: not UTF-8"):
        load_code_descriptions(path)


def test_payerkit_ships_no_descriptions():
    """Codes only: X12 owns the CARC/RARC texts (docs/remittance.md)."""
    from importlib import resources

    names = [p.name for p in resources.files("payerkit").joinpath("data").iterdir()]
    assert not [n for n in names if "carc" in n.lower() or "rarc" in n.lower()]
