"""A template payerkit adapter. Every figure in it is a SAMPLE: replace it with a cited one."""
