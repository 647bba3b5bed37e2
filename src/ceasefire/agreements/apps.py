from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "ceasefire.agreements"
    label = "agreements"
    verbose_name = "Agreements"

    def ready(self):
        from . import projections  # noqa: F401  registers the projectors
