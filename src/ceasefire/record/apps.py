from django.apps import AppConfig
from django.db.models.signals import post_migrate


def ensure_head(using="default", **kwargs):
    """The record's head row exists in every migrated database, and again after a flush (which
    empties every table, the head included, and then sends post_migrate)."""
    from .models import Head

    Head.objects.using(using).get_or_create(id=1, defaults={"size": 0})


class RecordConfig(AppConfig):
    name = "ceasefire.record"
    label = "record"
    verbose_name = "Joint record"

    def ready(self):
        from . import projections  # noqa: F401  registers the record's own entry types

        post_migrate.connect(ensure_head, sender=self)
