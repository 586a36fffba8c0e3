"""Every name of a new adapter, derived from the one name its author gives (``NAME``).

``payerkit new-adapter example-adapter`` makes the distribution ``payerkit-example-adapter``,
the package ``payerkit_example_adapter``, the program id and entry point ``example-adapter``,
the outcome codes ``EXAMPLE-ADAPTER-...`` and the facts class ``ExampleAdapterFacts``: one
place derives them all, so renaming an adapter is generating it again under the new name.
Light on purpose: the command line checks a name while it parses its arguments.
"""

from __future__ import annotations

import re

from attrs import frozen

#: A program id (``payerkit.model.program.ID_PATTERN``) that starts with a letter, so that
#: every name derived from it is a valid Python name too.
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
#: The longest name taken: it is spelled in every outcome code of the adapter.
MAX_LENGTH = 32


@frozen
class AdapterNames:
    """The names of one adapter; build it with :meth:`of`, which checks ``name``."""

    #: the program id, the entry point's name and the case file's ``program``
    name: str

    @classmethod
    def of(cls, name: str) -> AdapterNames:
        """The names derived from ``name``; a ``ValueError`` saying what a name must be."""
        if name.startswith("payerkit"):
            raise ValueError(f"expected the program's own name without 'payerkit' (the "
                             f"distribution is named payerkit-NAME), got {name!r}")
        if not NAME_PATTERN.match(name):
            raise ValueError("expected lowercase letters and digits in words joined by single "
                             f"dashes, starting with a letter, such as 'acme-wa', got {name!r}")
        if len(name) > MAX_LENGTH:
            raise ValueError(f"expected at most {MAX_LENGTH} characters, got {len(name)}")
        return cls(name)

    @property
    def distribution(self) -> str:
        return f"payerkit-{self.name}"

    @property
    def module(self) -> str:
        return f"payerkit_{self.name.replace('-', '_')}"

    @property
    def code(self) -> str:
        """The prefix of the adapter's outcome codes: ``EXAMPLE-ADAPTER``."""
        return self.name.upper()

    @property
    def title(self) -> str:
        """The program's name in words: ``Example adapter``."""
        return self.name.replace("-", " ").capitalize()

    @property
    def facts_class(self) -> str:
        return "".join(word.capitalize() for word in self.name.split("-")) + "Facts"
