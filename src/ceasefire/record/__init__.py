"""The joint record: one append-only log of events; every table elsewhere is a projection of it."""
