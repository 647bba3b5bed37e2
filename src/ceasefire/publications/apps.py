from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    """What the facilitator publishes: an adopted decision, or the committee's agreed status of a
    provision, copied into an entry the public reads. The rows it copies stay the parties' and the
    observers'; the public page shows the copy, which is what the public entry signs."""

    name = "ceasefire.publications"
    label = "publications"
    verbose_name = "Publications"

    def ready(self):
        from . import projections  # noqa: F401  registers the projector
