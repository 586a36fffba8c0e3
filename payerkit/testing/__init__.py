"""Tools for testing payerkit and its adapters (validators, fixtures, conformance)."""
