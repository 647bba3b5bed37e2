from django.apps import AppConfig


class RecordConfig(AppConfig):
    name = "ceasefire.record"
    label = "record"
    verbose_name = "Joint record"
