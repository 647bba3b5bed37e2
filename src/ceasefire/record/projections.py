"""The record's own entry types: they change no projection of a domain app."""

from . import log
from .checkpoints import COSIGNED


@log.projects(COSIGNED, audience="public")
def cosigned(event):
    """The cosignatures it names are the server's rows (checkpoints.add_cosignatures keeps them in
    the same transaction); the entry commits the log to them, and replay --check compares the two."""
