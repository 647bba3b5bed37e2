"""In Chromium, in Arabic on a phone: the military track's registers (roads and crossings, the
borders, detainee exchanges, mine action) walked by a party's member and by an observer. Empty,
each page says so; filled, each renders right to left with nothing wider than the phone, and the
observer reads nothing that is the parties' only: no status claim not agreed, no source of one, no
person exchanged, no report near a crossing or a border that was not shared with observers.
Saves screenshots to screenshots/."""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from ceasefire.incidents import commands as incidents  # noqa: E402
from tests.samples import REPORT  # noqa: E402

from .test_browser import BROWSER_TEST, PHONE, SHOTS, browser, sign_in  # noqa: E402,F401
from .test_exchanges_pages import swap  # noqa: E402,F401  (fixture)
from .test_mines_pages import area  # noqa: E402,F401  (fixture)
from .test_routes_pages import roads  # noqa: E402,F401  (fixture)

pytestmark = BROWSER_TEST

PAGES = {"routes": "/routes/", "borders": "/borders/", "exchanges": "/exchanges/", "mines": "/mines/"}
READERS = ("west-member", "observer")


def arabic(page):
    page.click("form.lang button")
    page.wait_for_selector('html[lang="ar"][dir="rtl"]')


def walk(browser, base, who, name_of):
    """Each register in Arabic on a phone: right to left, nothing wider than the screen, and a
    screenshot; answers the text of each page's main."""
    page = sign_in(browser, base, who, PHONE)
    arabic(page)
    texts = {}
    for name, path in name_of.items():
        response = page.goto(base + path)
        assert response.status == 200, (who, path, response.status)
        assert page.get_attribute("html", "dir") == "rtl"
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, (who, path)
        texts[name] = page.inner_text("main")
        page.screenshot(path=str(SHOTS / f"registers-{name}-{who}-ar-phone.png"), full_page=True)
    page.context.close()
    return texts


def test_the_registers_empty_say_so_to_a_member_and_an_observer(live_server, actors, browser):
    SHOTS.mkdir(exist_ok=True)
    for who in READERS:
        texts = walk(browser, live_server.url, who, {f"empty-{n}": p for n, p in PAGES.items()})
        assert "لم يُسجَّل بعد أي طريق أو منفذ أو خط جوي." in texts["empty-routes"]
        assert texts["empty-borders"].count("لم يُسجَّل بعد أي منفذ مع هذه الدولة.") == 6
        assert texts["empty-borders"].count("لا حوادث على بُعد 50 كم أو أقل من الحدود البرية.") == 6
        assert "لم تُسجَّل أي عملية تبادل بعد." in texts["empty-exchanges"]
        assert "لم تُسجَّل أي منطقة ملوثة بعد." in texts["empty-mines"]


def test_the_registers_filled_show_the_observer_nothing_of_the_parties_only(
    live_server, actors, browser, roads, swap, area
):
    SHOTS.mkdir(exist_ok=True)
    # a report by the west near the Tummo crossing and the border with Niger, not shared with observers
    incidents.file_report(
        actors["west-member"],
        {**REPORT, "title": "Convoy at Tummo", "place_ar": "تومو", "latitude": 22.77, "longitude": 14.05},
    )
    pages = {
        **PAGES,
        "road": f"/routes/{roads['road'].id}/",
        "crossing": f"/routes/{roads['crossing'].id}/",
        "exchange": f"/exchanges/{swap.id}/",
        "area": f"/mines/{area.id}/",
    }
    member = walk(browser, live_server.url, "west-member", pages)
    observer = walk(browser, live_server.url, "observer", pages)

    # both read the committee's status of the road, the crossing, the exchange's numbers, the area
    for texts in (member, observer):
        assert "الطريق الساحلي مصراتة–سرت" in texts["routes"] and "No military convoys" in texts["road"]
        assert "Sputnik" in texts["exchange"] and "120 km" in texts["area"]
        assert "عن 33؛ " in texts["exchanges"] and ";" not in texts["exchanges"]  # the Arabic semicolon
    # the parties' only: the status claim not agreed and its source, the people exchanged, the report
    assert "rival words" in member["road"] and "east statement" in member["road"]
    assert "rival words" not in observer["road"] and "east statement" not in observer["road"]
    assert "الأشخاص الذين جرى تبادلهم" in member["exchange"] and "الأشخاص الذين جرى تبادلهم" not in observer["exchange"]
    assert "Convoy at Tummo" in member["crossing"]
    near = member["borders"]
    niger = near[near.index("النيجر") : near.index("تشاد")]
    assert "Convoy at Tummo" in niger and "الحوادث على بُعد 50 كم أو أقل من الحدود البرية (1)" in niger
    assert "الحوادث قرب منافذها (1)" in niger
    for texts in observer.values():
        assert "Convoy at Tummo" not in texts and "px-name-never-shown" not in texts
