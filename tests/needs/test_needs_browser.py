"""In Chromium: the east's head sees the count of what needs them in the navigation, under a name a
screen reader reads out, reaches the list by keyboard, in English and Arabic, on a phone too; the
page is never wider than the screen. Screenshots go to screenshots/ for a person to look at."""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from ceasefire.needs.collect import collect  # noqa: E402
from tests.web.test_browser import BROWSER_TEST, DESKTOP, PHONE, SHOTS, browser, sign_in  # noqa: E402,F401

pytestmark = BROWSER_TEST


def test_the_count_is_announced_and_the_list_reached_by_keyboard(live_server, world, browser):  # noqa: F811
    base = live_server.url
    n = collect(world.actors["east-head"]).count
    assert n >= 4
    SHOTS.mkdir(exist_ok=True)
    names = {"en": f"Needs you: {n} items", "ar": f"يحتاج إليك: {n} أمور"}
    for lang in ("en", "ar"):
        for size, viewport in (("wide", DESKTOP), ("phone", PHONE)):
            page = sign_in(browser, base, "east-head", viewport)
            page.context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
            page.goto(base + "/")
            link = page.locator("nav.main-nav a[href='/needs/']")
            name = link.evaluate("a => a.textContent.replace(/\\s+/g, ' ').trim()")
            assert str(n) in name
            assert page.get_by_role("link", name=names[lang], exact=True).count() == 1
            page.keyboard.press("Tab")  # the skip link first, then the site's name, then the navigation
            for _ in range(12):
                if page.evaluate("document.activeElement.getAttribute('href')") == "/needs/":
                    break
                page.keyboard.press("Tab")
            page.keyboard.press("Enter")
            page.wait_for_url(base + "/needs/")
            assert page.locator("#h-needs").is_visible() and page.locator(".needs .need").count() >= n
            assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
            page.screenshot(path=str(SHOTS / f"{lang}-{size}-needs.png"), full_page=True)
            page.goto(base + "/")
            page.screenshot(path=str(SHOTS / f"{lang}-{size}-dashboard-needs.png"))
            page.context.close()
    observer = sign_in(browser, base, "observer", PHONE)
    observer.goto(base + "/needs/")
    assert observer.locator(".empty-state").is_visible()
    observer.screenshot(path=str(SHOTS / "en-phone-needs-observer.png"), full_page=True)
    observer.context.close()
