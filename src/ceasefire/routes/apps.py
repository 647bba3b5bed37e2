from django.apps import AppConfig


class RoutesConfig(AppConfig):
    """Roads, border crossings and air routes, each with its status over time (open, closed,
    restricted, with conditions), and the borders with the neighbouring states. An app of its own:
    a route's status is a claim any party or the facilitator puts forward, which becomes the
    committee's by the consensus rule every such matter follows (mechanism.consensus), as a layer
    version does in `zones`; the incidents on a route are read from the reports, never stored."""

    name = "ceasefire.routes"
    label = "routes"
    verbose_name = "Roads, crossings and borders"

    def ready(self):
        from ceasefire.mechanism import commands as mechanism

        from . import projections  # noqa: F401  registers the projectors
        from .commands import agree_completed

        # A party's return may be all that a status every party approved waited for.
        if agree_completed not in mechanism.after_participation_resumed:
            mechanism.after_participation_resumed.append(agree_completed)
