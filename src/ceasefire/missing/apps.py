from django.apps import AppConfig


class MissingConfig(AppConfig):
    """Missing-person cases: the person's identity in the vault, the record holding its commitment
    (as for witnesses and people exchanged); statuses claimed side by side, each the committee's
    only when every party approves it (mechanism.consensus), as a route's status is."""

    name = "ceasefire.missing"
    label = "missing"
    verbose_name = "Missing persons"

    def ready(self):
        from ceasefire.mechanism import commands as mechanism

        from . import projections  # noqa: F401  registers the projectors
        from .commands import agree_completed

        # A party's return may be all that a status every party approved waited for.
        if agree_completed not in mechanism.after_participation_resumed:
            mechanism.after_participation_resumed.append(agree_completed)
