"""In Chromium, in Arabic on a phone: an observer opens the map, sees the clusters of the reports it
may read (never the one kept with the parties), filters the map by a kind of violation, and opens
a cluster from the keyboard to list its reports. Saves screenshots to screenshots/."""

import os

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import expect  # noqa: E402

from ceasefire.incidents import commands as incidents  # noqa: E402
from ceasefire.incidents.models import Report  # noqa: E402
from ceasefire.places.gazetteer import gazetteer  # noqa: E402
from tests.api.endpoints import advance, file_report  # noqa: E402
from tests.conftest import FACILITATOR  # noqa: E402

from .test_browser import BROWSER_TEST, PHONE, SHOTS, browser, sign_in  # noqa: E402, F401
from .test_browser_implementation import in_arabic, no_overflow  # noqa: E402

pytestmark = BROWSER_TEST


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"map-{name}.png"), full_page=True)


def test_the_map_in_arabic_on_a_phone(live_server, actors, browser):
    incidents.adopt_default_typology(FACILITATOR)
    file_report(actors, title="Kept with the parties", category="raid", latitude=31.2, longitude=16.59, geo_precision=1)
    shared = file_report(
        actors, title="Drone over Tripoli", category="air-strike", latitude=32.89, longitude=13.19, geo_precision=2
    )
    advance(actors, shared.id, "tasked")
    incidents.set_visibility(FACILITATOR, shared.id, {"visibility": "observers"})
    shelling = file_report(actors, title="Shelling at Misrata", latitude=32.38, longitude=15.09, geo_precision=1)
    advance(actors, shelling.id, "tasked")
    incidents.set_visibility(FACILITATOR, shelling.id, {"visibility": "observers"})
    drone = Report.objects.get(id=shared.id)
    # placed only in its district (Jufra), at a point of it that is not the district's middle
    hun = (29.12, 15.95)
    jufra = gazetteer().district_at(*hun)
    assert jufra.code == "LY-JU"
    somewhere = file_report(
        actors, title="Mines in Jufra", category="mine-laying", latitude=hun[0], longitude=hun[1], geo_precision=3
    )
    advance(actors, somewhere.id, "tasked")
    incidents.set_visibility(FACILITATOR, somewhere.id, {"visibility": "observers"})

    base = live_server.url
    page = sign_in(browser, base, "observer", PHONE)
    in_arabic(page, base)
    page.goto(base + "/")
    page.click("nav.main-nav a[href='/map/']")
    page.wait_for_url(base + "/map/")
    assert page.get_attribute("html", "dir") == "rtl"
    # the clusters of the whole view: the two shared reports, never the one kept with the parties
    page.locator("#cluster-rows tr").first.wait_for()
    counts = page.eval_on_selector_all("#cluster-rows tr td:first-child", "cells => cells.map(c => +c.textContent)")
    assert sum(counts) == 3, counts
    assert page.locator(".leaflet-marker-icon.cluster").count() == len(counts)
    assert "Kept with the parties" not in page.content()
    # the report placed only in its district is drawn as the district, named, never as its point
    page.wait_for_selector("path.shape-district")
    places = page.eval_on_selector_all("#cluster-rows tr td:nth-child(2)", "cells => cells.map(c => c.textContent)")
    assert jufra.name_ar in places and "29.120, 15.950" not in places, places
    no_overflow(page)
    # the table, a card a cluster on a phone: each value says its column, and its button is seen
    labels = page.eval_on_selector_all("#cluster-rows tr:first-child td", "tds => tds.map(td => td.dataset.label)")
    assert labels[:3] == ["البلاغات", "أين", "أنواع الخرق"], labels
    button = page.locator("#cluster-rows button").first
    ink, paper = button.evaluate("b => [getComputedStyle(b).color, getComputedStyle(b.closest('tr')).backgroundColor]")
    assert ink != "rgb(255, 255, 255)" and ink != paper, (ink, paper)
    shot(page, "ar-phone-1-all")

    # filter by a kind of violation: only the drone strike is left
    page.select_option("#f-category", "air-strike")
    page.click("#map-filters button[type=submit]")
    expect(page.locator("#cluster-rows tr td:first-child")).to_have_text(["1"])
    assert "category=air-strike" in page.url
    assert page.locator(".leaflet-marker-icon.cluster").count() == 1

    # open the cluster from the keyboard: its reports are listed, in Arabic, with links
    marker = page.locator(".leaflet-marker-icon.cluster").first
    marker.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#cluster-reports li")
    listed = page.inner_text("#cluster-reports")
    assert drone.reference in listed and "Drone over Tripoli" in listed
    assert "Shelling at Misrata" not in listed and "Kept with the parties" not in listed
    assert "بلاغ واحد هنا" in listed  # the fragment is in Arabic
    # the report's shape: near a place, a circle around it (a path drawn on the map)
    page.wait_for_selector("path.shape-near")
    no_overflow(page)
    shot(page, "ar-phone-2-cluster")

    # the list alternative opens the same cluster
    page.click("#cluster-rows button")
    page.wait_for_selector(f"#cluster-reports a[href='/reports/{drone.reference}/']")


def test_a_title_is_text_in_the_maps_tooltips(live_server, actors, browser):
    """A report's title is what its filer typed: the tooltip of its shape shows it as text, never as
    markup that another reader's browser would build (a link, a form)."""
    incidents.adopt_default_typology(FACILITATOR)
    title = '<a id="injected" href="/login/">Sign in again</a>'
    file_report(actors, title=title, category="raid", latitude=31.2, longitude=16.59, geo_precision=1)

    base = live_server.url
    page = sign_in(browser, base, "facilitator")
    page.goto(base + "/map/")
    page.locator("#cluster-rows button").first.click()
    page.wait_for_selector("path.shape-point")
    page.dispatch_event("path.shape-point", "mouseover")  # the cluster's marker lies over it
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert title in tooltip.inner_text()
    assert page.locator("#injected").count() == 0
