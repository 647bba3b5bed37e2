"""One Chromium for a run of browser tests in a row, instead of one per test.

Starting Playwright's driver and Chromium costs about 2.5 s of CPU each time, more than most browser
tests spend in the browser. The `browser` fixture (tests/web/test_browser.py) takes the browser from
here: it is launched for the first test that asks for it and kept while the next test asks for it
too; tests/web/conftest.py stops it after the last test of such a run (`stop_unless_wanted`).
Each test still gets a browser without contexts: those it opened are closed after it, so no
cookie or session passes from one test to the next.

Playwright's sync API keeps an event loop running in this thread while it is started, and while
a loop runs Django keeps its connections apart (asgiref's context-local storage): so the browser
is never kept past a test that does not want it, and those connections are closed before the loop
stops, or PostgreSQL could not drop the test database at the end.
"""

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

_running: dict = {}  # "playwright", "browser" while started


def browser():
    """The shared browser, launched when none is running (or the last one died)."""
    current = _running.get("browser")
    if current is not None and current.is_connected():
        return current
    stop()
    from playwright.sync_api import sync_playwright

    _running["playwright"] = sync_playwright().start()
    _running["browser"] = _running["playwright"].chromium.launch(executable_path=CHROMIUM, args=ARGS)
    return _running["browser"]


def clean() -> None:
    """Close what a test left open in the browser: its contexts, their pages and cookies."""
    current = _running.get("browser")
    if current is not None and current.is_connected():
        for context in list(current.contexts):
            context.close()
    _close_connections()


def stop() -> None:
    """Close the browser and stop Playwright (and its loop), if they run."""
    if not _running:
        return
    _close_connections()  # those of the loop's context, while it still runs
    current, playwright = _running.pop("browser", None), _running.pop("playwright", None)
    try:
        if current is not None and current.is_connected():
            current.close()
    finally:
        if playwright is not None:
            playwright.stop()


def stop_unless_wanted(nextitem) -> None:
    """After a test: stop the browser unless the next test asks for one too."""
    if _running and (nextitem is None or "browser" not in getattr(nextitem, "fixturenames", ())):
        stop()


def _close_connections() -> None:
    from django.db import connections

    connections.close_all()
