from django.apps import AppConfig


class ExchangesConfig(AppConfig):
    """Detainee exchanges: when and where, the mediators, the numbers each side released as each
    claimant claims them and as a joint team verified them through the chain; the individuals only
    in the vault, the record holding their commitments (as witnesses' identities in incidents)."""

    name = "ceasefire.exchanges"
    label = "exchanges"
    verbose_name = "Detainee exchanges"

    def ready(self):
        from . import (
            projections,  # noqa: F401  registers the projectors
            verification,  # noqa: F401  registers an exchange as a subject of the chain
        )
