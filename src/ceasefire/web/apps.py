from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ceasefire.web"
    label = "web"
    verbose_name = "Web"
