"""The public page (/public/): what the committee published, without a login, and nothing else.

The history of tests/test_audience_leaks.py (every event type, unique strings planted that only the
parties, or only the parties and observers, may read, every account with a unique username), with
a situation report issued for the public besides. From /public/, in both languages, every link is
followed (pages, the PDF, the bundle, the API addresses they give) and every answer searched for
the planted strings and the usernames; then every page of web/urls.py is asked without a login:
each outside /public/ sends to the sign-in page, or answers 404 or 405, except the sign-in pages
themselves, and none shows a planted string.
"""

import base64
import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import resolve, reverse

from ceasefire.incidents.models import Report
from ceasefire.record import checkpoints
from ceasefire.record.log import Actor
from ceasefire.sitrep import commands as sitrep
from ceasefire.sitrep import store
from tests.test_audience_leaks import ACCOUNTS, Planted, build, leaks, page_paths, usernames

FAKE_PDF = b"%PDF-1.4\n% the public situation report\n%%EOF\n"

# the pages that are for signing in, asked without a login: they show no data
SIGN_IN = {"login", "sign_in_code", "two_factor", "two_factor_set_up", "recovery_codes", "logout", "set_language"}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    planted = Planted()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build(planted)
            fac = Actor(ACCOUNTS["facilitator"][2], role="facilitator")
            signed = checkpoints.sign_now()
            sitrep.issue(
                fac,
                {
                    "period": "2021-03",
                    "language": "ar",
                    "audience": "public",
                    "size": signed.size,
                    "root": base64.b64encode(bytes(signed.root)).decode(),
                    "sha256": store.keep(FAKE_PDF),
                },
            )
            checkpoints.sign_now()
            built["planted"] = planted
            cache.clear()
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def fresh_state(monkeypatch):
    """Each request reads the record's state (the server trusts it for a second)."""
    from ceasefire.web.views import public

    monkeypatch.setattr(public, "STATE_SECONDS", 0)


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode(errors="replace")


HREF = re.compile(r"""href="([^"]+)\"""")


def crawl(client, starts) -> dict[str, tuple[int, str]]:
    """path?query -> (status, text) for every address reachable by links from `starts`, staying on
    this site; the sign-in page and the static files are fetched but not followed."""
    seen: dict[str, tuple[int, str]] = {}
    todo = list(starts)
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        response = client.get(url)
        text = _text(response)
        seen[url] = (response.status_code, text)
        if not urlsplit(url).path.startswith("/public/") or "html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(text):
            target = urljoin(url, unescape(href))
            parts = urlsplit(target)
            if parts.netloc or parts.scheme or not parts.path.startswith("/"):
                continue
            if parts.path.startswith("/static/"):
                continue
            todo.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


@pytest.mark.django_db
def test_every_public_address_shows_only_what_was_published(world):
    planted = world["planted"]
    client = Client()
    answers = crawl(client, ["/public/", "/public/?lang=en", "/public/?lang=ar"])
    paths = {urlsplit(u).path for u in answers}
    # the walk reached every kind of public page
    published = Report.objects.get(visibility="public")
    for name, args in (
        ("public", []),
        ("public_reports", []),
        ("public_report", [published.reference]),
        ("public_sitrep", []),
        ("public_record", []),
        ("public_bundle", []),
        ("login", []),
    ):
        assert reverse(name, args=args) in paths, name
    assert any(p.endswith(".pdf") for p in paths)
    bad = {u: status for u, (status, _t) in answers.items() if status != 200}
    assert bad == {}
    found = leaks({u: t for u, (_s, t) in answers.items()}, planted.parties | planted.observers, usernames())
    assert not found, "\n".join(f"{path}: {s}" for path, s in found)
    # and what was published is there, in both languages
    seen = "".join(t for _s, t in answers.values())
    assert "published titlepublished" in seen
    assert "published narrativepublished" in seen
    assert "التقارير المنشورة" in answers["/public/?lang=ar"][1]
    assert "Published reports" in answers["/public/?lang=en"][1]
    assert answers[reverse("public_sitrep_pdf", args=[store.keep(FAKE_PDF)])][1] == FAKE_PDF.decode()


@pytest.mark.django_db
def test_a_report_not_published_is_not_found(world):
    client = Client()
    for r in Report.objects.exclude(visibility="public"):
        assert client.get(reverse("public_report", args=[r.reference])).status_code == 404
    assert client.get("/public/reports/R-1999-0001/").status_code == 404


@pytest.mark.django_db
def test_every_other_page_sends_the_public_to_sign_in(world):
    planted = world["planted"]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    answers = {}
    for path in page_paths():
        if path.startswith("/public/"):
            continue
        response = client.get(path)
        answers[path] = _text(response)
        name = resolve(path.split("?", 1)[0]).url_name  # a map cluster's page names its cell in the query
        if name in SIGN_IN:
            continue
        if response.status_code in (301, 302):
            assert response["Location"].startswith(reverse("login")), path
        else:
            assert response.status_code in (404, 405), (path, response.status_code)
    found = leaks(answers, planted.parties | planted.observers, usernames())
    assert not found, "\n".join(f"{path}: {s}" for path, s in found)


@pytest.mark.django_db
def test_a_signed_in_member_reads_the_public_page_as_the_public(world):
    from tests.helpers import signed_in

    planted = world["planted"]
    client = Client()
    signed_in(client, world["users"]["facilitator"])
    answers = crawl(client, ["/public/?lang=en"])
    found = leaks({u: t for u, (_s, t) in answers.items()}, planted.parties | planted.observers, usernames())
    assert not found, "\n".join(f"{path}: {s}" for path, s in found)


@pytest.mark.django_db
def test_the_sign_in_page_links_to_the_public_page(db):
    text = _text(Client().get(reverse("login")))
    assert 'href="/public/' in text


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["facilitator", "west-member"])
def test_a_page_is_rendered_for_the_public_whoever_asks_first(world, who):
    """The page is rendered once and served to every reader: what its templates take from the request
    (`user`, `can`: {% bi %} shows a reader the translations it may read) is the public's, never that
    of the signed-in reader who happened to ask first."""
    from tests.helpers import signed_in

    client = Client()
    signed_in(client, world["users"][who])
    for path in ("/public/?lang=ar", "/public/sitrep/?lang=en", "/public/record/?lang=ar", "/public/reports/"):
        cache.clear()
        response = client.get(path)
        assert response.status_code == 200, path
        assert not response.context["user"].is_authenticated, path
        assert response.context["can"].actor is None, path


def _kept() -> list[str]:
    return [k for k in cache._cache if ":public:" in k]  # LocMemCache: the keys it holds


@pytest.mark.django_db
def test_what_an_address_adds_renders_no_page_again(world):
    """The cache holds one page per address, language and page of a list: `?page=` with anything on
    a page without pages, or a list's page written otherwise, is the same page, rendered once; a page
    past the list's last is not found (and kept nowhere)."""
    client = Client()
    cache.clear()
    for junk in ("", "2", "x", "0001", "9" * 12, "%00"):
        assert client.get(f"/public/?lang=en&page={junk}").status_code == 200
    assert len(_kept()) == 1
    for same in ("", "1", "01", "x", "-1"):
        assert client.get(f"/public/reports/?lang=en&page={same}").status_code == 200
    assert len(_kept()) == 2
    assert client.get("/public/reports/?lang=en&page=99999").status_code == 404
    assert client.get("/public/reports/?lang=ar&page=0").status_code == 404
    assert len(_kept()) == 2


@pytest.mark.django_db
def test_a_page_whose_language_the_browser_chose_says_what_it_varies_on(client):
    """A shared cache must not give one reader the page another reader's browser chose the language of."""
    chosen = client.get("/public/", HTTP_ACCEPT_LANGUAGE="en")
    assert {"cookie", "accept-language"} <= {v.strip().lower() for v in chosen["Vary"].split(",")}
