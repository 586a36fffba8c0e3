"""What is public (docs/api.md), and first-party plugins use nothing else of payerkit."""

from __future__ import annotations

import payerkit
from payerkit.model import outcome


def test_the_shared_outcome_codes_are_exported():
    """A rule set recognises a payer's outcome by these codes, and a plugin's test a
    "verify with the plan" message by the suffix, without reaching into payerkit.model."""
    from payerkit import PRIOR_AUTHORIZATION_REQUIRED, PROVIDER_CATEGORY_EXCLUDED, UNCONFIRMED_SUFFIX

    assert PRIOR_AUTHORIZATION_REQUIRED == outcome.PRIOR_AUTHORIZATION_REQUIRED
    assert PROVIDER_CATEGORY_EXCLUDED == outcome.PROVIDER_CATEGORY_EXCLUDED
    assert UNCONFIRMED_SUFFIX == outcome.UNCONFIRMED_SUFFIX
    assert {"PRIOR_AUTHORIZATION_REQUIRED", "PROVIDER_CATEGORY_EXCLUDED",
            "UNCONFIRMED_SUFFIX"} <= set(payerkit.__all__) & set(dir(payerkit))
