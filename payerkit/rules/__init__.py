"""Building blocks adapters compose instead of re-writing.

* :mod:`~payerkit.rules.units` — timed minutes to 15-minute units (CMS 8-minute
  rule, CPT midpoint rule).
* :mod:`~payerkit.rules.fees` — fee schedules from data files, with effective dates
  and a source.
* :mod:`~payerkit.rules.money` — the one place money is rounded.
* :mod:`~payerkit.rules.limits` — visit counting over windows.
* :mod:`~payerkit.rules.deadlines` — filing deadlines and late findings.
* :mod:`~payerkit.rules.codes` — code checks (ICD-10-CM, NPI, CPT/HCPCS, POS, states).
* :mod:`~payerkit.rules.parity` — charges against the practice's cash rates.
"""
