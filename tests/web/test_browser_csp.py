"""In Chromium, under the Content-Security-Policy the server sends: the main pages load without a
single violation (the browser's `securitypolicyviolation` events and its console both listened
to), htmx still swaps a decision card in place, and the policy is really enforced (an inline
script or style added on purpose is refused and reported). tests/test_content_security_policy.py
checks the markup of every page; this checks what the browser makes of it, scripts included.
"""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # as in test_browser.py

from django.urls import reverse  # noqa: E402

from ceasefire.mechanism.models import Decision  # noqa: E402

from .conftest import build_world  # noqa: E402
from .reports_world import build_reports  # noqa: E402
from .test_browser import BROWSER_TEST, DESKTOP, PHONE, browser, sign_in  # noqa: E402,F401

pytestmark = BROWSER_TEST

# Runs in every document before its own scripts (Playwright's init scripts are not subject to the
# page's policy): keeps each violation the browser reports.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


class Watch:
    """A page's violations, console errors and script errors, as it is used."""

    def __init__(self, page):
        self.page, self.console, self.errors = page, [], []
        page.context.add_init_script(LISTEN)
        page.on(
            "console",
            lambda m: self.console.append(m.text) if m.type == "error" or "Content Security Policy" in m.text else None,
        )
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def visit(self, url: str) -> list[str]:
        """Load url; what went wrong there (violations, errors): nothing, on a page of ours."""
        self.console.clear(), self.errors.clear()
        response = self.page.goto(url)
        assert response.status == 200, (url, response.status)
        self.page.wait_for_load_state("load")
        return self.wrong()

    def wrong(self) -> list[str]:
        return self.page.evaluate("window.__violations") + self.console + self.errors


def test_the_pages_load_without_a_violation_and_htmx_still_swaps(live_server, actors, browser, monkeypatch):
    world = build_world(actors)
    reports = build_reports(actors, world, monkeypatch)
    base = live_server.url
    past, pending = world["past"], world["pending"]

    # Signing in: the page anyone reaches first.
    context = browser.new_context(viewport=PHONE, locale="ar")
    anonymous = Watch(context.new_page())
    assert anonymous.visit(base + reverse("login")) == []
    context.close()

    fac = sign_in(browser, base, "facilitator")
    watch = Watch(fac)
    pages = [
        reverse("dashboard"),
        reverse("mechanism"),
        reverse("meetings"),
        reverse("meeting", args=[past.reference]),
        reverse("meeting_new"),
        reverse("meeting_attendance", args=[past.reference]),
        reverse("agreements"),
        reverse("agreement", args=[world["agreement"].id]),
        reverse("reports"),
        reverse("report_new"),
        reverse("incidents"),
        *(
            reverse("report", args=[reports[stage].reference])
            for stage in ("received", "findings", "disputed", "concluded")
        ),
        reverse("evidence", args=[reports["evidence"].id]),
        reverse("report_identities", args=[reports["received"].reference]),
        reverse("record"),
        reverse("event", args=[world["minutes_seq"]]),
        reverse("record_explained"),
        reverse("witnesses"),
        reverse("track"),
        reverse("track_goal", args=["withdrawal"]),
        "/no-such-page/",
    ]
    for url in pages:
        if url == "/no-such-page/":  # the console says the 404 itself; nothing else may go wrong
            watch.console.clear()
            assert fac.goto(base + url).status == 404
            assert [m for m in watch.wrong() if "status of 404" not in m] == [], url
            continue
        assert watch.visit(base + url) == [], url
    # The API's interactive docs (Swagger UI, from the ninja package's files) render under it too.
    assert watch.visit(base + "/api/v1/docs") == []
    fac.wait_for_selector(".swagger-ui .information-container")
    assert watch.wrong() == []

    # The policy is enforced, and the listening hears it: an inline script and style are refused.
    watch.visit(base + reverse("dashboard"))
    fac.evaluate(
        """() => {
          const s = document.createElement("script");
          s.textContent = "window.__ran = true";
          document.head.appendChild(s);
          document.body.insertAdjacentHTML("beforeend", '<p id="styled" style="color: rgb(255, 0, 0)">x</p>');
        }"""
    )
    fac.wait_for_function("window.__violations.length >= 2")
    refused = " ".join(watch.page.evaluate("window.__violations"))
    assert "script-src" in refused and "style-src" in refused
    assert fac.evaluate("window.__ran") is None
    assert fac.evaluate("getComputedStyle(document.getElementById('styled')).color") != "rgb(255, 0, 0)"
    fac.context.close()

    # htmx works under it: configured from its meta tag, no style block of its own, and the west's
    # head gives a position on the phone that swaps the decision card in place, no page load.
    west = sign_in(browser, base, "west-head", PHONE)
    watch = Watch(west)
    url = base + reverse("meeting", args=[past.reference])
    assert watch.visit(url) == []
    config = west.evaluate("[htmx.config.includeIndicatorStyles, htmx.config.allowEval, htmx.config.allowScriptTags]")
    assert config == [False, False, False]
    assert west.locator("style").count() == 0
    loads = []
    west.on("load", lambda _page: loads.append(1))
    card = west.locator(f"#decision-{pending.number}")
    card.locator("input[name=position][value=approve]").check()
    card.locator("input[name=confirm]").check()
    card.locator("button[type=submit]").click()
    west.wait_for_selector(f"#decision-{pending.number} [role=status]")
    assert west.url == url and loads == []
    assert Decision.objects.get(id=pending.id).positions.filter(party__code="west").exists()
    assert watch.wrong() == []
    west.context.close()


def test_the_policy_reaches_the_browser_as_sent(live_server, browser):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    response = page.goto(live_server.url + reverse("login"))
    from django.conf import settings

    assert response.headers["content-security-policy"] == settings.CONTENT_SECURITY_POLICY
    context.close()
