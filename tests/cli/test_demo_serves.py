"""The demo serves the web UI and the API on the URL it prints, and Ctrl-C stops it with 0."""

import json
import urllib.error
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url):
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=20) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def test_serves_the_web_ui_and_the_api(server):
    assert f"Serving on {server.url}" in server.output
    status, headers, _ = get(server.url)
    assert status in (200, 302), status
    if status == 302:
        assert "/login" in headers["Location"]
    status, _, body = get(server.url + "api/v1/openapi.json")
    assert status == 200
    assert "paths" in json.loads(body)


def test_the_web_ui_says_it_is_an_exercise(server):
    status, _, body = get(server.url + "login/")
    assert status == 200
    page = body.decode()
    assert "exercise" in page.lower() or "تمرين" in page


def test_ctrl_c_stops_it_cleanly(server):
    code = server.interrupt()
    assert code == 0, server.output
    assert "Traceback" not in server.output
