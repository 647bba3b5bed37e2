from django.apps import AppConfig


class ForcesConfig(AppConfig):
    name = "ceasefire.forces"
    label = "forces"
    verbose_name = "Foreign forces"

    def ready(self):
        from ceasefire.mechanism import commands as mechanism

        from . import (
            projections,  # noqa: F401  registers the projectors
            verification,  # noqa: F401  registers a departure as a subject of the chain
        )
        from .commands import complete_waiting

        # A party's return may be all that a recorded imbalance waited for.
        if complete_waiting not in mechanism.after_participation_resumed:
            mechanism.after_participation_resumed.append(complete_waiting)
