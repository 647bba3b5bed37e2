"""Importing a dataset from the site (the facilitator): the file checked first, what would be
imported said, then imported once confirmed; a refused row named next to the file with its line
and column, nothing written; the page in Arabic and English; no one else is offered it."""

import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from ceasefire.incidents import commands
from ceasefire.incidents.models import Report
from ceasefire.record import log
from tests.conftest import FACILITATOR

from .a11y import problems

pytestmark = pytest.mark.django_db

HEADER = "event_id_cnty,event_date,event_type,sub_event_type,actor1,location,latitude,longitude,fatalities"
ROW = "LBY{i},{day},Explosions/Remote violence,Shelling/artillery/missile attack,east,Sirte,31.2,16.5,0"


@pytest.fixture
def typology(accounts):
    return commands.adopt_default_typology(FACILITATOR)


def acled(n: int, bad: dict | None = None) -> bytes:
    rows = [ROW.format(i=i, day=(bad or {}).get(i, "2021-03-01")) for i in range(1, n + 1)]
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def check(client, content: bytes, name="acled.csv", **data):
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(reverse("reports_import"), {"file": file, "format": "acled", "mapping": "", **data})


def test_checked_then_confirmed(clients, typology):
    fac = clients["facilitator"]
    page = fac.get(reverse("reports_import"))
    html = page.content.decode()
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in html and 'type="file"' in html
    assert 'for="f-file"' in html and 'for="f-format"' in html  # every field labelled
    size = log.size()
    checked = check(fac, acled(3))
    html = checked.content.decode()
    assert checked.status_code == 200, html
    assert "What importing acled.csv would do" in html and "Import 3 reports" in html
    assert problems(html) == []  # landmarks, labels, the result announced (role="status")
    assert (Report.objects.count(), log.size()) == (0, size)  # nothing written by the check
    token = fac.session["import"]["token"]
    done = fac.post(reverse("reports_import"), {"token": token})
    assert done.status_code == 302 and done["Location"] == reverse("reports")
    assert Report.objects.filter(source_type="dataset").count() == 3
    assert "3 reports imported from acled.csv." in fac.get(done["Location"]).content.decode()
    again = fac.post(reverse("reports_import"), {"token": token})  # the file waits no longer
    assert again.status_code == 409 and Report.objects.count() == 3
    preview = check(fac, acled(4)).content.decode()
    assert "Import 1 report" in preview  # the new against what is there already
    assert "Rows imported before (skipped)" in preview


def test_a_refused_row_is_named_next_to_the_file(clients, typology):
    r = check(clients["facilitator"], acled(4, {2: "2021-13-01", 3: "someday"}))
    html = r.content.decode()
    assert r.status_code == 422
    assert 'aria-invalid="true"' in html and "acled.csv: line 3: event_date: &#x27;2021-13-01&#x27;" in html
    assert "acled.csv: line 4: event_date: &#x27;someday&#x27;" in html  # every problem listed
    assert problems(html) == [] and 'role="alert"' in html
    assert not Report.objects.exists() and "import" not in clients["facilitator"].session


def test_a_bad_mapping_is_named_next_to_the_mapping(clients, typology):
    r = check(clients["facilitator"], acled(1), format="csv", mapping=json.dumps({"columns": {}}))
    html = r.content.decode()
    assert r.status_code == 422 and 'id="f-mapping"' in html
    assert 'aria-invalid="true"' in html.split('id="f-mapping"')[1].split(">")[0]


def test_in_arabic(clients, typology):
    fac = clients["facilitator"]
    html = fac.get(reverse("reports_import"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "استيراد مجموعة بيانات" in html and "تحقّق من الملف" in html
    file = SimpleUploadedFile("acled.csv", acled(2), content_type="text/csv")
    html = fac.post(reverse("reports_import"), {"file": file, "format": "acled"}, HTTP_ACCEPT_LANGUAGE="ar")
    assert "ما سينتج عن استيراد acled.csv" in html.content.decode() and "استيراد بلاغين" in html.content.decode()


@pytest.mark.parametrize("who", ["west-head", "east-member", "observer"])
def test_only_the_facilitator_is_offered_it(clients, typology, who):
    assert clients[who].get(reverse("reports_import")).status_code == 403
    assert check(clients[who], acled(1)).status_code == 403
    assert reverse("reports_import") not in clients[who].get(reverse("reports")).content.decode()
    assert not Report.objects.exists()


@override_settings(IMPORT_MAX_BYTES=1000)
def test_a_file_over_the_limit_is_said_next_to_the_file(clients, typology):
    r = check(clients["facilitator"], acled(40))
    html = r.content.decode()
    assert r.status_code == 413 and "is larger than 0 MB: import it with the command" in html
    assert 'id="f-file"' in html and 'aria-invalid="true"' in html.split('id="f-file"')[1].split(">")[0]
    assert not Report.objects.exists()


def test_a_checked_file_no_longer_waiting_is_asked_again_not_a_500(clients, typology):
    """The session still names the token, but the file is gone (the data folder cleaned, a double
    click whose first request already imported and removed it): check it again, not a 500."""
    fac = clients["facilitator"]
    assert check(fac, acled(2)).status_code == 200
    token = fac.session["import"]["token"]
    (settings.DATA_DIR / "imports" / token).unlink()
    r = fac.post(reverse("reports_import"), {"token": token})
    assert r.status_code == 409


def test_a_checked_file_does_not_outlive_the_session(clients, typology):
    """Checked, then never confirmed, and signed out: the file waiting is removed with the session."""
    fac = clients["facilitator"]
    assert check(fac, acled(2)).status_code == 200
    token = fac.session["import"]["token"]
    fac.logout()
    assert not (settings.DATA_DIR / "imports" / token).exists()
