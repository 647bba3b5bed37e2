"""The addresses of the UI, for tests that visit them all."""

from django.urls import reverse


def read_pages(world) -> list[str]:
    return [
        reverse("dashboard"),
        reverse("needs"),
        reverse("mechanism"),
        reverse("meetings"),
        reverse("meeting", args=[world["past"].reference]),
        reverse("meeting", args=[world["upcoming"].reference]),
        reverse("agreements"),
        reverse("agreement", args=[world["agreement"].id]),
        reverse("agreement_implementation", args=[world["agreement"].id]),
        reverse("provision", args=[world["withdrawal"].id]),
        reverse("provision", args=[world["principle"].id]),
        reverse("record"),
        reverse("record") + "?page=2",
        reverse("record") + "?type=member.appointed",
        reverse("event", args=[0]),
        reverse("event", args=[world["minutes_seq"]]),  # withheld from observers
        reverse("event", args=[world["last_seq"]]),  # perhaps newer than the latest checkpoint
        reverse("record_explained"),
        reverse("witnesses"),
        reverse("track"),
        *(reverse("track_goal", args=[goal]) for goal in ("sovereignty", "borders", "withdrawal")),
    ]


def form_pages(world) -> dict[str, list[str]]:
    """Each form page, with the roles the command would accept from."""
    past = world["past"].reference
    west_head_member = world["members"][("west", 2)].id
    return {
        reverse("member_new"): ["facilitator"],
        reverse("member_replace", args=[west_head_member]): ["facilitator"],
        reverse("member_end", args=[west_head_member]): ["facilitator"],
        reverse("party_suspend", args=["west"]): ["facilitator", "west-head"],
        reverse("meeting_new"): ["facilitator"],
        reverse("meeting_attendance", args=[past]): ["facilitator"],
        reverse("meeting_agenda", args=[past]): ["facilitator"],
        reverse("meeting_decision", args=[past]): ["facilitator"],
        reverse("meeting_minutes", args=[past]): ["facilitator"],
        reverse("meeting_action", args=[past]): ["facilitator"],
        reverse("position", args=[past, world["pending"].number]): ["west-head", "east-head"],
        reverse("action_status", args=[world["overdue"].id]): ["facilitator", "west-head", "west-member"],
        reverse("agreement_new"): ["facilitator"],
        reverse("provision_new", args=[world["agreement"].id]): ["facilitator"],
        reverse("interpretation_new", args=[world["withdrawal"].id]): ["facilitator", "west-head", "east-head"],
        reverse("assessment_new", args=[world["withdrawal"].id]): ["facilitator", "west-head", "east-head"],
        reverse("condition_new", args=[world["withdrawal"].id]): ["facilitator"],
        reverse("assessment_position", args=[world["assessment"].id]): ["west-head", "east-head"],
        reverse("witness_key_party", args=["west"]): ["west-head"],
        reverse("witness_key_party", args=["east"]): ["east-head"],
        reverse("witness_key_mission"): ["facilitator"],
        reverse("reports_import"): ["facilitator"],
    }
