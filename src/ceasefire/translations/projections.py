"""A translation's entry makes its row, from the entry alone. Its audience is the parties': see
subjects.py for why."""

from ceasefire.record.log import projects

from .models import Translation


@projects("text.translated", audience="parties")
def _translated(event):
    p = event.payload
    Translation.objects.create(
        id=event.seq,
        subject=p["subject"],
        subject_id=p["id"],
        field=p["field"],
        lang=p["lang"],
        text=p["text"],
        of_sha256=p["of"],
        party_id=p["party"],
        translated_by=event.account,
        translated_at=event.time,
    )
