"""The public page's cache: what it shows changes with the record's checkpoint, and only then;
each language has its own page; a record with nothing published says so."""

import pytest
from django.core.cache import cache
from django.test import Client

from ceasefire.incidents import commands as incidents
from ceasefire.record import checkpoints
from tests.samples import REPORT


@pytest.fixture(autouse=True)
def fresh_state(monkeypatch):
    """Each request reads the record's state (the server trusts it for a second)."""
    from ceasefire.web.views import public

    monkeypatch.setattr(public, "STATE_SECONDS", 0)


def _text(response) -> str:
    return response.content.decode()


def published(actors, title):
    """A report closed by triage (outside the mandate) and published by the facilitator."""
    fac = actors["facilitator"]
    r = incidents.file_report(actors["west-member"], {**REPORT, "title": title})
    incidents.triage(fac, r.id, {"decision": "outside_mandate", "reason": "not a violation"})
    return incidents.set_visibility(fac, r.id, {"visibility": "public"})


@pytest.mark.django_db
def test_the_page_changes_with_the_checkpoint_and_not_between(actors, settings):
    settings.CHECKPOINT_EVERY_SECONDS = 3600  # no checkpoint falls due by itself during the test
    settings.CHECKPOINT_EVERY_EVENTS = 1000
    cache.clear()
    fac = actors["facilitator"]
    incidents.adopt_default_typology(fac)
    client = Client()
    empty = _text(client.get("/public/?lang=en"))
    assert "No report has been published yet." in empty

    published(actors, "First published")
    # no checkpoint since: the page is the one rendered for the last checkpoint
    assert _text(client.get("/public/?lang=en")) == empty
    checkpoints.sign_now()
    shown = _text(client.get("/public/?lang=en"))
    assert "First published" in shown
    assert "Nothing has been published yet." not in shown

    published(actors, "Second published")
    assert "Second published" not in _text(client.get("/public/?lang=en"))
    cp = checkpoints.sign_now()
    again = _text(client.get("/public/?lang=en"))
    assert "Second published" in again
    assert str(cp.size) in again
    # each language has its own page
    assert "التقارير المنشورة" in _text(client.get("/public/?lang=ar"))


@pytest.mark.django_db
def test_nothing_published_yet(actors):
    cache.clear()
    client = Client()
    for lang, words in (("en", "Nothing has been published yet."), ("ar", "لم يُنشر شيء بعد.")):
        text = _text(client.get(f"/public/?lang={lang}"))
        assert words in text
    assert "Nothing has been published yet." in _text(client.get("/public/reports/?lang=en"))
    assert "No situation report has been published yet." in _text(client.get("/public/sitrep/?lang=en"))


@pytest.mark.django_db
def test_the_public_bundle_is_made_once_per_checkpoint_and_verifies(actors, monkeypatch, tmp_path):
    import io
    import time

    from ceasefire.record import note, verify
    from ceasefire.web.views import public
    from tests.helpers import register_witnesses

    incidents.adopt_default_typology(actors["facilitator"])
    published(actors, "In the bundle")
    keys = register_witnesses(actors)
    cp = checkpoints.sign_now()
    for skey, vkey in keys.values():
        line = note.cosign(note.parse_note(cp.note)[0], skey, int(time.time()))
        checkpoints.add_cosignatures(note.add_signatures(cp.note, [line]), [vkey])
    made = []
    export = public.bundle.export
    monkeypatch.setattr(public.bundle, "export", lambda *a, **k: made.append(a) or export(*a, **k))
    client = Client()
    first = b"".join(client.get("/public/bundle/").streaming_content)
    second = b"".join(client.get("/public/bundle/").streaming_content)
    assert first == second
    assert len(made) == 1
    assert b"audience public\n" in first
    assert (
        b"In the bundle" not in first
    )  # report.filed is the parties' entry: publishing widens the page, not the record
    path = tmp_path / "public.bundle"
    path.write_bytes(first)
    out = io.StringIO()
    assert verify.verify(str(path), out=out, err=io.StringIO(), jobs=1) == 0, out.getvalue()


@pytest.mark.django_db
def test_a_report_taken_back_from_the_public_leaves_every_page_at_once(actors, settings):
    """A publication waits for the checkpoint; a report the committee takes back from the public does
    not stay on a page kept in the cache until then: the public may no longer read it."""
    settings.CHECKPOINT_EVERY_SECONDS = 3600  # no checkpoint falls due by itself during the test
    settings.CHECKPOINT_EVERY_EVENTS = 1000
    cache.clear()
    fac = actors["facilitator"]
    incidents.adopt_default_typology(fac)
    r = published(actors, "Published by mistake")
    checkpoints.sign_now()
    client = Client()
    pages = ["/public/?lang=en", "/public/?lang=ar", "/public/reports/?lang=en", f"/public/reports/{r.reference}/"]
    for page in pages:
        assert "Published by mistake" in _text(client.get(page)), page
    incidents.set_visibility(fac, r.id, {"visibility": "observers"})
    for page in pages[:3]:
        assert "Published by mistake" not in _text(client.get(page)), page
    assert client.get(pages[3]).status_code == 404
