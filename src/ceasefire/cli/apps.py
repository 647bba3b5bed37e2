from django.apps import AppConfig


class CliConfig(AppConfig):
    """The `ceasefire` command, a face beside api/ and web/: the entry point (this package's
    __init__) and the subcommands that set the whole up (demo, serve, check, user, token, scenario).
    They reach into every app (tokens, scenarios, the web's site); here no domain app has to."""

    name = "ceasefire.cli"
    label = "cli"
    verbose_name = "Command line"
