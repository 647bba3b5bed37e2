"""In Chromium, in Arabic on a phone: the west's head puts forward the Sirte–Jufra area through the
form (first with a ring that does not close, which the form refuses, naming it), the east's head
approves it and it binds; a report inside it says so on its page. Observers read the binding
version. Saves screenshots, in Arabic and English, to screenshots/ for a person to look at."""

import json
import os

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from ceasefire.incidents import commands as incidents  # noqa: E402
from ceasefire.zones.models import LayerVersion  # noqa: E402
from tests.conftest import FACILITATOR  # noqa: E402
from tests.samples import REPORT  # noqa: E402

from .test_browser import BROWSER_TEST, DESKTOP, PHONE, SHOTS, browser, sign_in  # noqa: E402, F401
from .test_browser_implementation import in_arabic, no_overflow  # noqa: E402

pytestmark = BROWSER_TEST

RING = [[15.0, 31.0], [16.0, 31.0], [16.0, 32.0], [15.0, 32.0], [15.0, 31.0]]


def area(ring) -> str:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name_ar": "سرت–الجفرة", "name_en": "Sirte–Jufra"},
                    "geometry": {"type": "Polygon", "coordinates": [ring]},
                }
            ],
        }
    )


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"layers-{name}.png"), full_page=True)


def test_a_layer_put_forward_in_arabic_on_a_phone_binds_with_the_other_party(live_server, actors, browser):
    base = live_server.url
    west = sign_in(browser, base, "west-head", PHONE)
    in_arabic(west, base)
    west.goto(base + "/layers/")
    west.click("a[href='/layers/new/']")
    west.fill("#f-layer", "sirte-jufra")
    west.select_option("#f-kind", "demilitarised_area")
    west.fill("#f-name-ar", "منطقة سرت–الجفرة (تمرين)")
    west.fill("#f-name-en", "Sirte–Jufra area (exercise)")
    west.fill("#f-geojson", area(RING[:-1]))
    west.fill("#f-effective-from", "2021-01-01")
    west.click("form.form button[type=submit]")
    assert "الحلقة غير مغلقة" in west.inner_text("main")  # refused, at its box, in Arabic
    assert LayerVersion.objects.count() == 0
    no_overflow(west)
    shot(west, "ar-phone-1-refused")
    west.fill("#f-geojson", area(RING))
    west.click("form.form button[type=submit]")
    west.wait_for_url(base + "/layers/sirte-jufra/1/")
    assert 'dir="rtl"' in west.content() and "غير ملزمة بعد" in west.inner_text("main")
    no_overflow(west)
    shot(west, "ar-phone-2-waiting")

    east = sign_in(browser, base, "east-head", PHONE)
    in_arabic(east, base)
    east.goto(base + "/layers/sirte-jufra/1/")
    east.check(f"#v{LayerVersion.objects.get().id}-f-position-0")
    east.check(f"#v{LayerVersion.objects.get().id}-f-confirm")
    east.click(".position-form button[type=submit]")
    east.wait_for_url(base + "/layers/sirte-jufra/1/")
    assert "ملزمة منذ" in east.inner_text("main")
    shot(east, "ar-phone-3-binding")

    incidents.adopt_default_typology(FACILITATOR)
    report = incidents.file_report(actors["west-member"], REPORT)
    observer = sign_in(browser, base, "observer", DESKTOP)
    observer.goto(base + "/layers/")
    assert "version 1, binding since 1 January 2021" in observer.inner_text("main")
    shot(observer, "en-desktop-4-list")
    member = sign_in(browser, base, "west-member", PHONE)
    member.goto(f"{base}/reports/{report.reference}/")
    assert "inside Sirte–Jufra area (exercise) (version 1, binding since 1 January 2021)" in member.inner_text("main")
    no_overflow(member)
    shot(member, "en-phone-5-report")
    in_arabic(member, base)
    member.goto(f"{base}/reports/{report.reference}/")
    assert "داخل منطقة سرت–الجفرة (تمرين) (النسخة 1، ملزمة منذ" in member.inner_text("main")
    shot(member, "ar-phone-6-report")
