"""A download serves the evidence only if the stored bytes still match the SHA-256 in the record:
a changed file is a 409 and a lost one a 404, and neither enters the chain of custody."""

import hashlib

from ceasefire.incidents import evidence
from ceasefire.incidents.models import EvidenceAccess

from .conftest import assert_error, upload
from .endpoints import file_report

NOTES = b"Two craters, 40 m apart.\n"


def test_only_the_bytes_the_record_names_are_served(actors, typology, api):
    r = file_report(actors)
    member = api("west-member", "en")
    e = upload(member, r.id, "notes.txt", NOTES).json()
    ok = member.get(f"/evidence/{e['id']}/file")
    assert ok.status_code == 200 and b"".join(ok.streaming_content) == NOTES
    assert EvidenceAccess.objects.count() == 1

    stored = evidence.path(hashlib.sha256(NOTES).hexdigest())
    stored.write_bytes(NOTES.replace(b"Two", b"Six"))
    assert_error(member.get(f"/evidence/{e['id']}/file"), 409, "evidence", contains="no longer matches")
    stored.unlink()
    assert_error(member.get(f"/evidence/{e['id']}/file"), 404, "evidence")
    assert EvidenceAccess.objects.count() == 1  # neither refusal is a custody entry
