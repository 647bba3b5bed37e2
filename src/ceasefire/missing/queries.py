"""What the API and the pages read of missing-person cases, as each reader may read it: the
parties every case, every status claimed side by side and the positions; observers the
committee's statuses (case, status, day) of the cases that have one, nothing else; the public
nothing. Who the person is is never read here: only the facilitator, through commands.identity."""

from collections import Counter

from ceasefire import audience

from .models import Case, Status, StatusClaim


def reads_cases(reader) -> bool:
    return audience.reads(reader, "missing_case")


def reads_agreed(reader) -> bool:
    return audience.reads(reader, "missing_status", "agreed")


def cases(reader) -> list[Case]:
    """The cases the reader reads: every one for the parties; for observers, those with a status
    the committee agreed; none for the public."""
    if reads_cases(reader):
        return list(Case.objects.all())
    if reads_agreed(reader):
        return list(Case.objects.filter(claims__agreed=True).distinct())
    return []


def readable(reader, case: Case) -> bool:
    return reads_cases(reader) or (reads_agreed(reader) and case.claims.filter(agreed=True).exists())


def claims(reader, case: Case) -> list[StatusClaim]:
    """The statuses the reader reads, newest first: every one claimed for the parties (side by
    side), the committee's for observers."""
    if audience.reads(reader, "missing_status"):
        return list(case.claims.prefetch_related("positions__party").select_related("claimed_by"))
    if reads_agreed(reader):
        return list(case.claims.filter(agreed=True))
    return []


def agreed(reader, case: Case) -> list[StatusClaim]:
    """The committee's statuses of the case, newest first (its history)."""
    return [c for c in claims(reader, case) if c.agreed]


def current(reader, case: Case) -> StatusClaim | None:
    """The committee's status of the case now: the agreed status of the latest day."""
    found = agreed(reader, case)
    return found[0] if found else None


def counts(reader, rows: list[Case]) -> list[tuple[str, int]]:
    """How many of `rows` stand at each status the committee agreed, and how many have none yet."""
    now = [current(reader, c) for c in rows]
    found = Counter(c.status if c else "" for c in now)
    out = [(label, found[code]) for code, label in Status.choices if found[code]]
    if found[""]:
        from django.utils.translation import gettext as _

        out.append((_("No status agreed yet"), found[""]))
    return out
