from django.apps import AppConfig


class ZonesConfig(AppConfig):
    """The committee's layers: the contact line, the demilitarised area, protected roads, buffer
    zones, assembly points, border areas and crossings, as versions of GeoJSON that bind only once
    every party approves them. An app of its own, not part of `places`: places holds reference data
    shipped with the package, which is not events and nobody approves; a layer is the committee's
    record (proposals, positions, the entry that states it binding), with tables, migrations and an
    audience. It reads places' point-in-polygon (places/geometry.py) for its checks."""

    name = "ceasefire.zones"
    label = "zones"
    verbose_name = "Zones and lines"

    def ready(self):
        from ceasefire.mechanism import commands as mechanism

        from . import projections  # noqa: F401  registers the projectors
        from .commands import bind_completed

        # A party's return may be all that a version every party approved waited for.
        if bind_completed not in mechanism.after_participation_resumed:
            mechanism.after_participation_resumed.append(bind_completed)
