"""Meta-tests (datasette's): every hook is documented with its exact signature, and tested."""

import inspect
import re
from pathlib import Path

import pytest

from payerkit import hookspecs

ROOT = Path(__file__).resolve().parent.parent
HOOKS_DOC = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
TEST_SOURCES = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("test_*.py"))


@pytest.mark.parametrize("name", hookspecs.hookspecs_names())
def test_every_hook_is_documented_with_its_signature(name):
    params = inspect.signature(getattr(hookspecs, name)).parameters
    signature = f"{name}({', '.join(params)})"
    assert f"## {signature}" in HOOKS_DOC, f"docs/hooks.md lacks a '## {signature}' section"


@pytest.mark.parametrize("name", hookspecs.hookspecs_names())
def test_every_hook_is_typed(name):
    signature = inspect.signature(getattr(hookspecs, name))
    untyped = [p for p, v in signature.parameters.items() if v.annotation is inspect.Parameter.empty]
    assert not untyped, f"{name}: untyped parameter(s) {untyped}"
    assert signature.return_annotation is not inspect.Signature.empty, f"{name}: no return type"


@pytest.mark.parametrize("name", hookspecs.hookspecs_names())
def test_every_hook_has_a_test(name):
    assert re.search(rf"def test_hook_{name}\b", TEST_SOURCES), f"no test_hook_{name}"


def test_every_hookspec_has_a_docstring_with_return_and_version():
    for name in hookspecs.hookspecs_names():
        doc = getattr(hookspecs, name).__doc__ or ""
        assert ":return:" in doc and "versionadded" in doc, name


def test_docs_name_no_hook_that_does_not_exist():
    documented = set(re.findall(r"^## (payerkit_\w+)\(", HOOKS_DOC, re.M))
    assert documented == set(hookspecs.hookspecs_names())


def test_every_field_of_a_program_record_is_documented():
    """A plugin author learns ``Program`` from docs/hooks.md: each field is named there."""
    import attrs

    from payerkit.model import Program

    missing = [f.name for f in attrs.fields(Program)
               if not re.search(rf"`(Program\.)?{f.name}`", HOOKS_DOC)]
    assert not missing, f"docs/hooks.md does not name Program field(s) {missing}"


#: Each first-party plugin's README and the programs it describes.
PLUGIN_PROGRAMS = {"premera": ["premera-wa"], "ny-no-fault": ["ny-no-fault"],
                   "ct-workers-comp": ["ct-workers-comp"],
                   "regence": ["regence-wa", "regence-or", "regence-id", "regence-ut", "ump"]}


@pytest.mark.parametrize("plugin", sorted(PLUGIN_PROGRAMS))
def test_plugin_readmes_list_the_formats_each_program_takes(plugin, payerkit_data_dir):
    from payerkit import PayerKit

    kit = PayerKit(strict=True)
    readme = (ROOT / "plugins" / plugin / "README.md").read_text(encoding="utf-8")
    for program_id in PLUGIN_PROGRAMS[plugin]:
        for fmt in kit.program(program_id).claim_formats:
            assert f"`{fmt}`" in readme, f"{plugin}/README.md: {program_id} takes `{fmt}`"
    stale = re.search(r"lists only `x12-837p`|`x12-837p` alone|only the 837P is listed|"
                      r"no (?:NF-3 or CMS-1500|paper) writer is installed", readme)
    assert stale is None, f"{plugin}/README.md still says: {stale.group(0)!r}"


@pytest.mark.parametrize("plugin", sorted(PLUGIN_PROGRAMS))
def test_first_party_programs_cite_their_claim_formats_rule(plugin, payerkit_data_dir):
    from payerkit import PayerKit

    kit = PayerKit(strict=True)
    for program_id in PLUGIN_PROGRAMS[plugin]:
        cited = kit.program(program_id).claim_formats_citation
        assert cited is not None and cited.source != kit.program(program_id).name, program_id


def test_no_doc_says_a_case_amount_is_in_cents():
    """Case-file amounts are dollars ("25.00"); "in cents" once made a 100x error likely."""
    docs = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md",
            *sorted(ROOT.glob("plugins/*/README.md")), *sorted(ROOT.glob("contrib/*/README.md"))]
    for path in docs:
        text = " ".join(path.read_text(encoding="utf-8").split())
        for claim in ("in cents", "cents (up to 2 decimals)", "Decimal cents"):
            assert claim not in text, f"{path.name} says an amount is {claim!r}"
