"""Protected identities: who a source or witness is, kept apart from the record (DESIGN idea 5).
The record carries only a commitment, SHA-256(salt ‖ RFC 8785 JSON of the identity), so the
facilitator can later show that a kept identity is the one committed to, and erasing it leaves
the record whole."""

import hashlib
import os

import rfc8785
from django.db import models

from ceasefire import validate as v

FIELDS = {"name": 200, "contact": 500, "relation": 200, "note": 2000}


def clean(data, field: str) -> dict:
    """The identity as the vault keeps it: its texts only, the name required."""
    from django.utils.translation import gettext as _

    from ceasefire.errors import Invalid

    if not isinstance(data, dict):
        raise Invalid(_("must be an object with name, contact, relation and note"), field)
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise Invalid(_("unknown field: %(name)s") % {"name": unknown[0]}, f"{field}.{unknown[0]}")
    identity = {k: v.text(data.get(k), f"{field}.{k}", max_length=n) for k, n in FIELDS.items()}
    if not identity["name"]:
        raise Invalid(_("is required"), f"{field}.name")
    return identity


def commitment(salt: bytes, identity: dict) -> str:
    return hashlib.sha256(salt + rfc8785.dumps(identity)).hexdigest()


def commit(identity: dict) -> tuple[str, str]:
    """(salt hex, commitment hex) for a new identity."""
    salt = os.urandom(32)
    return salt.hex(), commitment(salt, identity)


def holds(salt_hex: str, identity: dict, committed: str) -> bool:
    return commitment(bytes.fromhex(salt_hex), identity) == committed


class Row(models.Model):
    """A vault table's row (forces.Informant, exchanges.Identity, missing.Identity): who an entry
    speaks of or heard from, apart from the record and its projections (replay never touches it),
    read by the facilitator only. Erasing the row leaves the record whole."""

    entry = models.BigIntegerField(db_index=True)  # the entry's seq: not a foreign key, replay rebuilds its rows
    commitment = models.CharField(max_length=64, unique=True)
    salt = models.CharField(max_length=64)
    identity = models.JSONField()
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    class Meta:
        abstract = True


def keep(table: type[Row], event, actor, identity: dict, salt: str, commitment: str) -> Row:
    """Keep `identity` in the vault `table`, beside the entry `event` that holds its commitment
    (commit() made both before the entry was appended)."""
    return table.objects.create(
        entry=event.seq,
        commitment=commitment,
        salt=salt,
        identity=identity,
        created_by=actor.username,
        created_at=event.time,
    )
