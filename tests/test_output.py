"""payerkit.output holds what the command prints; the commands do not import the CLI."""

import subprocess
import sys


def _imports(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_commands_does_not_import_cli():
    code = "import payerkit.commands, sys; print('payerkit.cli' in sys.modules)"
    assert _imports(code) == "False"


def test_cli_imports_commands_only_when_run():
    code = "import payerkit.cli, sys; print('payerkit.commands' in sys.modules)"
    assert _imports(code) == "False"
