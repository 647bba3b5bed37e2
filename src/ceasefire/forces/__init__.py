"""Foreign forces, mercenaries and foreign fighters: the register of who is present, where and in
what strength (claims with their sources), the withdrawal plan and its stages, and departures,
verified through the same chain as reports."""
