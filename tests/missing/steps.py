"""A missing-person case as the missing-person tests open it: a real gazetteer place, an identity
for the vault."""

CASE = {
    "missing_since": "2020-06-05",
    "place": "osm:n1193620130",
    "circumstances_en": "Taken at a checkpoint, as the family tells it.",
    "source": "the family, through the Libyan Red Crescent",
    "identity": {"name": "A person kept in the vault", "relation": "son"},
}
