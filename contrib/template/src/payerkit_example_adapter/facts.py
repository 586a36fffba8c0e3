"""The program's own case facts: what its rules need that payerkit's case does not have.

A case file gives them in a table named after the program, ``[facts.example-adapter]``.
payerkit reads it with its own converter (a wrong value is an error naming the fact's
path, ``facts.<program id>.<fact>``) and hands each hook the instance as ``facts``. Every
field has a default, so a case without the table still loads. Add a fact here when a
rule needs one: no payerkit release is needed.
"""

from __future__ import annotations

from attrs import frozen


@frozen
class ExampleAdapterFacts:
    """SAMPLE facts: what the coordination-of-benefits example rule reads.

    A fact is a typed attrs field with a default: ``bool``, ``str | None``,
    ``datetime.date | None``, ``Literal["a", "b"] | None``...
    """

    #: The auto or workers' compensation carrier has refused, in writing, to pay for the
    #: care of this accident (payerkit's case knows the accident, not the refusal).
    other_payer_denied: bool = False
