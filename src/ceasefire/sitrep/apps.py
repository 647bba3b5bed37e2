from django.apps import AppConfig


class SitrepConfig(AppConfig):
    name = "ceasefire.sitrep"
    label = "sitrep"
    verbose_name = "Situation reports"

    def ready(self):
        from . import commands  # noqa: F401  registers the projector
