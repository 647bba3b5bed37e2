"""Situation reports: for a period, the record's counts with their coverage, a trend chart, a map, the
verification chain, decisions adopted and the agreement's implementation, as a page and a PDF in
Arabic and English, each figure recomputable from a bundle of the checkpoint it was built from."""
