from django.apps import AppConfig


class TranslationsConfig(AppConfig):
    """A text given in one language, given later in the other: a translation, marked as one and by
    whom, in an entry of its own. The original entry stays as it was; pages show the translation
    where the reader's language has no original, saying that it is one."""

    name = "ceasefire.translations"
    label = "translations"
    verbose_name = "Translations"

    def ready(self):
        from . import projections  # noqa: F401  registers the projector
