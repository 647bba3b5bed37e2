"""The agreements the committee oversees: their provisions, the rival readings of them, and how far
each is implemented."""

from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "ceasefire.agreements"
    label = "agreements"
    verbose_name = "Agreements"

    def ready(self):
        from ceasefire.mechanism import commands as mechanism

        from . import projections  # noqa: F401  registers the projectors
        from .commands import agree_completed

        # A party's return may be all that an assessment every party approved waited for.
        if agree_completed not in mechanism.after_participation_resumed:
            mechanism.after_participation_resumed.append(agree_completed)
