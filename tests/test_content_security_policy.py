"""Every HTML page carries the Content-Security-Policy, and nothing in it needs the policy relaxed.

The policy (settings.CONTENT_SECURITY_POLICY, set by web/middleware.py) lets a page run scripts and
apply styles only from this server's files. A page holding an inline <script>, an event handler
attribute (onclick=), a style="" attribute, a <style> block, a javascript: address or an htmx
handler evaluated as script (hx-on) would break under it, so none may. Every page of web/urls.py is
walked with real rows, as the public and as each kind of reader, with the history of
tests/test_audience_leaks.py (which holds every kind of row, so every page has something to show);
then the answers no walk reaches: refusals, errors, the htmx fragment, the locked-out page, the
API's docs. The browser's own view of the same is tests/web/test_browser_csp.py.
"""

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.urls import path, reverse

from ceasefire.mechanism.models import Decision
from tests.conftest import PASSWORD
from tests.helpers import signed_in
from tests.test_audience_leaks import ACCOUNTS, page_paths, world  # noqa: F401  (the history, built once)

POLICY = settings.CONTENT_SECURITY_POLICY
# Each kind of reader once (the other party's head and the members see what these do, mirrored).
READERS = ["anonymous", "observer", "west-head", "monitor", "facilitator"]
DATA_BLOCKS = {"application/json", "application/ld+json"}  # a <script> that holds data, never runs


def test_the_policy_is_strict():
    directives = dict(d.strip().split(" ", 1) for d in POLICY.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe" not in POLICY and "nonce-" not in POLICY and "*" not in POLICY
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'" and directives["form-action"] == "'self'"


class Inline(HTMLParser):
    """What in a page the policy would refuse to run or apply."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>: an event handler attribute")
            elif name == "style":
                self.found.append(f"<{tag} style={value!r}>: a style attribute")
            elif name.startswith(("hx-on", "data-hx-on")):
                self.found.append(f"<{tag} {name}=...>: htmx evaluates it as script")
            elif name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value!r}>: a javascript: address")
        if tag == "style":
            self.found.append("<style>: an inline style block")
        if tag == "script" and not named.get("src") and (named.get("type") or "").strip().lower() not in DATA_BLOCKS:
            self.found.append("<script> without src: an inline script")

    handle_startendtag = handle_starttag


def inline(html: str) -> list[str]:
    parser = Inline()
    parser.feed(html)
    parser.close()
    return parser.found


def test_the_check_finds_what_the_policy_refuses():
    """The checker itself: each thing it must find, and what it must let be."""
    found = inline(
        '<p style="width:40%">a</p><button onclick="go()">b</button><style>p{}</style><script>x()</script>'
        '<a href=" JavaScript:go()">c</a><div hx-on:click="x()"></div><svg><style>rect{}</style></svg>'
    )
    assert len(found) == 7, found
    assert (
        inline(
            '<script src="/static/web/site.js" defer></script><script type="application/json" id="s">{"a": 1}</script>'
            '<p class="on" data-style="x">online</p><a href="/javascript:/">d</a>'
        )
        == []
    )


def answer(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode()


def problems(response) -> list[str]:
    """What is wrong with an HTML answer: the policy missing or another one, or inline content."""
    wrong = []
    if not response.get("Content-Type", "").startswith("text/html"):
        return [f"not HTML: {response.get('Content-Type')}"]
    if response.get("Content-Security-Policy") != POLICY:
        wrong.append(f"Content-Security-Policy: {response.get('Content-Security-Policy')!r}")
    return wrong + inline(answer(response))


def reader(world, who: str) -> Client:  # noqa: F811
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if who != "anonymous":
        signed_in(client, world["users"][who])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("who", READERS)
def test_every_page_carries_the_policy_and_nothing_inline(world, who):  # noqa: F811
    client = reader(world, who)
    paths = page_paths()
    assert len(paths) > 60  # every page of web/urls.py, most of them several times over
    found, html = [], 0
    for url in paths:
        response = client.get(url, follow=True)  # the public is sent to the login page: walk it too
        if response.status_code == 405:  # a POST-only address (sign-out, the language switch)
            continue
        assert response.status_code in (200, 403, 404, 409), (url, response.status_code)
        if response.get("Content-Disposition", "").startswith("attachment"):  # a file (the reports' export), not a page
            assert response.streaming and "text/html" not in response["Content-Type"], url
            continue
        html += 1
        found += [f"{url}: {problem}" for problem in problems(response)]
    assert html > 60
    assert not found, "\n".join(found)


@pytest.mark.django_db
def test_in_arabic_too(world):  # noqa: F811
    client = reader(world, "facilitator")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ar"
    for url in (reverse("dashboard"), reverse("reports"), reverse("record"), reverse("record_explained")):
        response = client.get(url)
        assert 'dir="rtl"' in answer(response), url
        assert problems(response) == [], url


@pytest.mark.django_db
def test_refusals_and_errors_carry_it_too(world):  # noqa: F811
    observer = reader(world, "observer")
    answers = {
        "not found": observer.get("/no-such-page/"),
        "not allowed": observer.get(reverse("meeting_new")),
        "the form has expired (CSRF)": Client(enforce_csrf_checks=True).post(
            reverse("login"), {"username": "x", "password": "y"}
        ),
        "the API's docs": Client().get("/api/v1/docs"),
    }
    assert [r.status_code for r in answers.values()] == [404, 403, 403, 200]
    for what, response in answers.items():
        assert problems(response) == [], what


@pytest.mark.django_db
def test_the_fragment_htmx_swaps_in_carries_nothing_inline(world):  # noqa: F811
    """A position sent from the decision card comes back as the card alone (here refused: no
    position chosen), and is swapped into a page whose policy already applies."""
    decision = Decision.objects.filter(adopted=False).select_related("meeting").first()
    client = reader(world, "west-head")
    url = reverse("position", args=[decision.meeting.reference, decision.number])
    response = client.post(url, {"reason": "no position chosen"}, headers={"HX-Request": "true"})
    assert response.status_code in (409, 422)
    html = answer(response)
    assert "<html" not in html and f"decision-{decision.number}" in html
    assert inline(html) == []


@pytest.mark.django_db
def test_the_locked_out_page_carries_it(world, settings):  # noqa: F811
    settings.AXES_FAILURE_LIMIT = 1
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    username = ACCOUNTS["observer"][2]
    response = None
    for _ in range(3):
        response = client.post(reverse("login"), {"username": username, "password": PASSWORD + "wrong"})
        if response.status_code == 429:
            break
    assert response.status_code == 429
    assert problems(response) == []


def boom(request):
    raise RuntimeError("a bug, on purpose")


urlpatterns = [path("boom/", boom)]


@pytest.mark.urls(__name__)
def test_the_server_error_page_carries_it(db):
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert problems(response) == []
    assert "/static/web/error.css" in answer(response)


def test_answers_that_are_not_html_are_left_alone(db):
    response = Client().get("/api/v1/record/log-key")
    assert response.status_code == 200 and "Content-Security-Policy" not in response


def test_a_view_that_sets_its_own_policy_keeps_it(rf):
    from django.http import HttpResponse

    from ceasefire.web.middleware import ContentSecurityPolicy

    own = "default-src 'none'"

    def view(request):
        response = HttpResponse("<p>x</p>")
        response["Content-Security-Policy"] = own
        return response

    assert ContentSecurityPolicy(view)(rf.get("/"))["Content-Security-Policy"] == own
