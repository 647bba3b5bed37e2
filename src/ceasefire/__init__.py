"""ceasefire: the joint record of a ceasefire committee."""
