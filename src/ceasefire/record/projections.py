"""The record's own entry types: they change no projection of a domain app."""

import base64

from . import log
from .checkpoints import COSIGNED
from .models import Enrollment


@log.projects(log.ENROLLED, audience="parties")
def enrolled(event):
    p = event.payload
    Enrollment.objects.create(
        seq=event.seq, username=p["username"], role=p["role"], party=p["party"], secret=base64.b64decode(p["secret"])
    )


@log.projects(COSIGNED, audience="public")
def cosigned(event):
    """The cosignatures it names are the server's rows (checkpoints.add_cosignatures keeps them in
    the same transaction); the entry commits the log to them, and replay --check compares the two."""
