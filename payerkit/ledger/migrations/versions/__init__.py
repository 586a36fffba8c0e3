"""Each migration of the ledger's schema, in order; never changed once released."""
