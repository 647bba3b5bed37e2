from django.apps import AppConfig


class NeedsConfig(AppConfig):
    """What needs each person now (collect.py, from the commands' own refusals) and the mail that
    tells them (notify.py). Its tables are not the record: they say who was told what, and when."""

    name = "ceasefire.needs"
    label = "needs"
    verbose_name = "Needs and notifications"
