"""Each subcommand is one record (``payerkit.command_table.COMMANDS``): its name, help, options
(a frozen attrs class, one field per argument) and the function that runs it. The parser is
built from the table; a handler gets its options, typed and named, and reads no other."""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import payerkit.commands as commands
from payerkit.cli import main, parse
from payerkit.command_table import COMMANDS, Command

DOC = (Path(__file__).resolve().parent.parent / "docs" / "cli.md").read_text(encoding="utf-8")
#: what docs/cli.md says of every command, before its table
PREFACE = DOC.partition("| command | output |")[0]

#: the positional arguments a command needs to parse (the files need not exist)
REQUIRED = {"check": ["case.json"], "price": ["case.json"], "limits": ["case.json"],
            "terms": ["case.json"], "scrub": ["case.json"], "claim": ["case.json"],
            "plan": ["case.json"],
            "batch": ["cases"], "new-adapter": ["my-program"], "ledger post": ["paid.835"],
            "ledger statement": ["P0123456789"]}
NAMES = list(COMMANDS)
#: The commands ``payerkit --help`` lists: each group (``ledger``) once, where it first is.
TOP = list(dict.fromkeys(name.split()[0] for name in NAMES))


def argv_of(name: str) -> list[str]:
    return [*name.split(), *REQUIRED.get(name, [])]


def help_of(name: str, capsys) -> str:
    with pytest.raises(SystemExit):
        main([*name.split(), "--help"])
    return capsys.readouterr().out


def test_the_parser_offers_exactly_the_commands_of_the_table(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    # a long name has its help on the next line
    listed = re.findall(r"^    ([\w-]+)(?:  |$)", capsys.readouterr().out, re.MULTILINE)
    assert listed == TOP
    assert all(isinstance(c, Command) and c.name == name for name, c in COMMANDS.items())


def test_a_group_offers_exactly_its_commands(capsys):
    with pytest.raises(SystemExit):
        main(["ledger", "--help"])
    listed = re.findall(r"^    ([\w-]+)(?:  |$)", capsys.readouterr().out, re.MULTILINE)
    assert listed == [name.split()[1] for name in NAMES if name.startswith("ledger ")]


@pytest.mark.parametrize("name", NAMES)
def test_every_command_has_help_and_is_documented_with_its_options(name, capsys):
    command = COMMANDS[name]
    assert command.help.strip() and command.help.endswith((".", "?"))
    text = help_of(name, capsys)
    assert command.help in " ".join(text.split())
    rows = [line for line in DOC.splitlines() if line.startswith(f"| `payerkit {name}")]
    assert len(rows) == 1, f"docs/cli.md has no row (or several) for payerkit {name}"
    usage = text.partition("\n\n")[0]
    for flag in set(re.findall(r"--[a-z][\w-]*", usage)) - {"--help"}:
        spelled = re.compile(rf"(?<![\w-]){flag}(?![\w-])")
        assert spelled.search(rows[0]) or spelled.search(PREFACE), \
            f"docs/cli.md does not document {flag} of payerkit {name}"


@pytest.mark.parametrize("name", NAMES)
def test_options_are_frozen_attrs_with_only_their_fields(name):
    command, options, debug = parse(argv_of(name))
    assert command is COMMANDS[name] and debug is False
    assert type(options) is command.options and attrs.has(command.options)
    assert "__slots__" in vars(command.options)
    with pytest.raises(AttributeError):
        options.undeclared  # noqa: B018 - reading an option the record does not declare
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        options.json = True


def _reads(function) -> set[str]:
    """The attributes ``function`` reads of its second parameter (``run(kit, options)``);
    an error if it uses the parameter otherwise (passes it on whole, ``getattr``...)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function))).body[0]
    param = tree.args.args[1].arg
    parent = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    read = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == param:
            assert isinstance(parent[node], ast.Attribute), \
                f"{function.__name__} uses {param} otherwise than reading a field (line " \
                f"{node.lineno}): pass the field itself"
            read.add(parent[node].attr)
    return read


@pytest.mark.parametrize("name", NAMES)
def test_a_handler_reads_exactly_the_options_its_record_declares(name):
    command = COMMANDS[name]
    declared = set(attrs.fields_dict(command.options))
    assert _reads(commands.handler(command)) == declared


def test_the_reader_of_handlers_sees_a_stray_read():
    def handler(kit, options):
        return options.json or getattr(options, "force", False)

    with pytest.raises(AssertionError, match="otherwise than reading"):
        _reads(handler)


@given(st.sampled_from(NAMES), st.booleans(), st.booleans())
def test_debug_is_one_switch_before_or_after_the_command(name, before, after):
    argv = [*(["--debug"] if before else []), *argv_of(name), *(["--debug"] if after else [])]
    command, options, debug = parse(argv)
    assert command is COMMANDS[name] and debug is (before or after)
    assert options == parse(argv_of(name))[1]  # --debug is the boundary's, no command's option


@pytest.mark.parametrize("name", NAMES)
def test_every_command_offers_debug_in_its_help(name, capsys):
    assert "--debug" in help_of(name, capsys)
