from django.contrib.auth import views as auth_views
from django.urls import path, register_converter
from django.views.i18n import set_language

from . import forms, lockout
from .views import agreements, mechanism, meetings, overview, places, record, reports

register_converter(meetings.MeetingRef, "meeting")
register_converter(reports.ReportRef, "report")
register_converter(reports.IncidentRef, "incident")

urlpatterns = [
    path(
        "login/",
        lockout.SignIn.as_view(
            template_name="web/login.html", authentication_form=forms.LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", set_language, name="set_language"),
    path("", overview.dashboard, name="dashboard"),
    path("record/", record.record, name="record"),
    path("record/events/<int:seq>/", record.event, name="event"),
    path("record/explained/", record.explained, name="record_explained"),
    path("record/witnesses/", record.witness_keys, name="witnesses"),
    path("record/witnesses/mission/key/", record.witness_key_mission, name="witness_key_mission"),
    path("record/witnesses/party/<slug:code>/key/", record.witness_key_party, name="witness_key_party"),
    path("mechanism/", mechanism.mechanism, name="mechanism"),
    path("mechanism/members/new/", mechanism.member_new, name="member_new"),
    path("mechanism/members/<int:pk>/replace/", mechanism.member_replace, name="member_replace"),
    path("mechanism/members/<int:pk>/end/", mechanism.member_end, name="member_end"),
    path("mechanism/parties/<slug:code>/suspend/", mechanism.party_suspend, name="party_suspend"),
    path("mechanism/parties/<slug:code>/resume/", mechanism.party_resume, name="party_resume"),
    path("meetings/", meetings.meetings, name="meetings"),
    path("meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("meetings/<meeting:ref>/", meetings.meeting, name="meeting"),
    path("meetings/<meeting:ref>/attendance/", meetings.meeting_attendance, name="meeting_attendance"),
    path("meetings/<meeting:ref>/agenda/new/", meetings.meeting_agenda, name="meeting_agenda"),
    path("meetings/<meeting:ref>/decisions/new/", meetings.meeting_decision, name="meeting_decision"),
    path("meetings/<meeting:ref>/decisions/<int:number>/position/", meetings.position, name="position"),
    path("meetings/<meeting:ref>/minutes/", meetings.meeting_minutes, name="meeting_minutes"),
    path("meetings/<meeting:ref>/actions/new/", meetings.meeting_action, name="meeting_action"),
    path("actions/<int:pk>/status/", meetings.action_status, name="action_status"),
    path("reports/", reports.reports, name="reports"),
    path("reports/new/", reports.report_new, name="report_new"),
    path("places/suggestions/", places.place_suggestions, name="place_suggestions"),
    path("reports/<report:ref>/", reports.report, name="report"),
    path("reports/<report:ref>/triage/", reports.report_triage, name="report_triage"),
    path("reports/<report:ref>/team/", reports.report_task, name="report_task"),
    path("reports/<report:ref>/investigation/", reports.report_investigation, name="report_investigation"),
    path("reports/<report:ref>/investigation/confirm/", reports.report_confirm, name="report_confirm"),
    path("reports/<report:ref>/findings/", reports.report_findings, name="report_findings"),
    path("reports/<report:ref>/sign/", reports.report_sign, name="report_sign"),
    path("reports/<report:ref>/settlement/", reports.report_propose, name="report_propose"),
    path("reports/<report:ref>/settle/", reports.report_settle, name="report_settle"),
    path("reports/<report:ref>/disagreement/", reports.report_disagreement, name="report_disagreement"),
    path("reports/<report:ref>/visibility/", reports.report_visibility, name="report_visibility"),
    path("reports/<report:ref>/evidence/", reports.report_evidence, name="report_evidence"),
    path("reports/<report:ref>/identities/", reports.report_identities, name="report_identities"),
    path("evidence/<int:pk>/", reports.evidence_item, name="evidence"),
    path("identities/<int:pk>/erase/", reports.identity_erase, name="identity_erase"),
    path("recommendations/<int:pk>/status/", reports.recommendation_status, name="recommendation_status"),
    path("incidents/", reports.incidents, name="incidents"),
    path("incidents/<incident:ref>/", reports.incident, name="incident"),
    path("agreements/", agreements.agreements, name="agreements"),
    path("agreements/new/", agreements.agreement_new, name="agreement_new"),
    path("agreements/<int:pk>/", agreements.agreement, name="agreement"),
    path("agreements/<int:pk>/provisions/new/", agreements.provision_new, name="provision_new"),
    path("provisions/<int:pk>/readings/new/", agreements.interpretation_new, name="interpretation_new"),
]
