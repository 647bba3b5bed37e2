from django.apps import AppConfig


class PlacesConfig(AppConfig):
    """The gazetteer: Libya's districts and places, reference data shipped with the package (data/,
    see data/SOURCES.md), read into memory on first use. Not events: nothing here is a claim."""

    name = "ceasefire.places"
    label = "places"
    verbose_name = "Places"
