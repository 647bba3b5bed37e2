from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ceasefire.api"
    label = "api"
    verbose_name = "API"
