from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "ceasefire.incidents"
    label = "incidents"
    verbose_name = "Incidents"

    def ready(self):
        from ceasefire.mechanism import commands as mechanism

        from . import coverage, projections  # noqa: F401  registers the projectors
        from .commands import agenda_disputes_on

        # A meeting recorded while findings wait for the committee takes them on its agenda.
        if agenda_disputes_on not in mechanism.after_meeting_recorded:
            mechanism.after_meeting_recorded.append(agenda_disputes_on)
