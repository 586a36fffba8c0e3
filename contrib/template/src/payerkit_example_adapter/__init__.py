"""A payerkit adapter: the program example-adapter.

Every rule and figure in it is an invented SAMPLE: replace each with the payer's own, cited
(README.md lists them).
"""
