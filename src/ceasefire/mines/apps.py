from django.apps import AppConfig


class MinesConfig(AppConfig):
    """Mine action: areas contaminated by mines and explosive remnants of war, and the clearance
    reports on them, each a claim with its source until a joint team verifies it through the chain."""

    name = "ceasefire.mines"
    label = "mines"
    verbose_name = "Mine action"

    def ready(self):
        from . import (
            projections,  # noqa: F401  registers the projectors
            verification,  # noqa: F401  registers a clearance report as a subject of the chain
        )
