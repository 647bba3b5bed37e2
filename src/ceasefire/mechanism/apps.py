from django.apps import AppConfig


class MechanismConfig(AppConfig):
    name = "ceasefire.mechanism"
    label = "mechanism"
    verbose_name = "Mechanism"

    def ready(self):
        from . import projections  # noqa: F401  registers the projectors
