"""Issuing a situation report: the facilitator enters its hash in the record (`sitrep.issued`).

The entry is public: it holds the period, the language, whom the report was built for, the
checkpoint it was built from and the SHA-256 of the PDF, nothing of its figures. The public so
learns that the committee issued a report for the parties, never what it says; anyone holding an
issued PDF can show it is the one the record names.
"""

import base64
import re

from django.utils.translation import gettext as _

from ceasefire import validate as v
from ceasefire.errors import Invalid, NotFound
from ceasefire.mechanism.commands import require_facilitator
from ceasefire.record.log import AUDIENCES, Actor, append, command, projects
from ceasefire.record.models import Checkpoint

from .figures import parse_period
from .models import Issued

LANGUAGES = ("ar", "en")
SHA256 = re.compile(r"^[0-9a-f]{64}$")


@command
def issue(actor: Actor, data: dict) -> Issued:
    require_facilitator(actor)
    period = parse_period(data.get("period"))
    language = v.choice(data.get("language"), "language", LANGUAGES)
    audience = v.choice(data.get("audience"), "audience", AUDIENCES)
    size = v.integer(data.get("size"), "size", minimum=0)
    root = v.text(data.get("root"), "root", max_length=64, required=True)
    sha256 = v.text(data.get("sha256"), "sha256", max_length=64, required=True)
    if not SHA256.match(sha256):
        raise Invalid(_("must be 64 lowercase hexadecimal digits"), "sha256")
    try:
        raw_root = base64.b64decode(root, validate=True)
    except ValueError:
        raw_root = b""
    if len(raw_root) != 32:
        raise Invalid(_("must be a tree root: 32 bytes in base64"), "root")
    signed = Checkpoint.objects.filter(size=size).first()
    if signed is None or bytes(signed.root) != raw_root:
        raise NotFound(_("the log signed no checkpoint of this size and root"), "root")
    payload = {
        "period": period.name,
        "starts_on": period.start.isoformat(),
        "ends_on": period.end.isoformat(),
        "language": language,
        "audience": audience,
        "size": size,
        "root": root,
        "sha256": sha256,
    }
    event = append("sitrep.issued", payload, actor)
    return Issued.objects.get(id=event.seq)


@projects("sitrep.issued", audience="public")  # a hash and a checkpoint: nothing of what the report says
def _issued(event):
    import datetime as dt

    p = event.payload
    Issued.objects.create(
        id=event.seq,
        period=p["period"],
        starts_on=dt.date.fromisoformat(p["starts_on"]),
        ends_on=dt.date.fromisoformat(p["ends_on"]),
        language=p["language"],
        audience=p["audience"],
        size=p["size"],
        root=p["root"],
        sha256=p["sha256"],
        issued_by=event.account,
        issued_at=event.time,
    )
