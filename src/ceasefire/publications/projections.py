"""A publication's entry makes its row, from the entry alone: what the public page shows is what
the entry signs."""

from ceasefire.record.log import projects

from .models import Publication


@projects("publication.made", audience="public")
def _published(event):
    p = dict(event.payload)
    Publication.objects.create(
        id=event.seq, subject=p.pop("subject"), subject_id=p.pop("id"), content=p, published_at=event.time
    )
