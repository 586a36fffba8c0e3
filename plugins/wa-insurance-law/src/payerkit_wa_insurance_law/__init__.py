"""payerkit rule set: Washington insurance law over every fully insured commercial plan."""
