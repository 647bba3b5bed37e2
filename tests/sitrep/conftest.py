from tests.incidents.conftest import monitors, typology  # noqa: F401  (the reports' fixtures)
