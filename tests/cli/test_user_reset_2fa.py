"""The demo's heads sign in as anyone's do: the password printed at the first start, then setting up
an authenticator app. `ceasefire user reset-2fa USERNAME` (a lost phone) removes the app and the
recovery codes: the browsers signed in with that app are signed out, and the next sign-in sets
one up again. `user list` says whose is set up."""

import http.cookiejar
import re
import sqlite3
import urllib.parse
import urllib.request
from base64 import b32decode

from django_otp.oath import TOTP

from .helpers import PASSWORD, ceasefire, no_traceback


class Browser:
    """A browser's cookies, following redirects; each answer is (final URL, page)."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.page = ""

    def get(self, path: str):
        with self.opener.open(self.base + path.lstrip("/"), timeout=20) as response:
            self.page = response.read().decode()
            return response.url, self.page

    def post(self, path: str, fields: dict):
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.page).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        with self.opener.open(self.base + path.lstrip("/"), data, timeout=20) as response:
            self.page = response.read().decode()
            return response.url, self.page


def password_of(demo, username: str) -> str:
    line = next(line for line in demo.first.stdout.splitlines() if line.split()[:1] == [username])
    return PASSWORD.search(line).group(0)


def sign_in(server, demo, username: str) -> tuple[Browser, str]:
    browser = Browser(server.url)
    browser.get("/login/")
    url, _ = browser.post("/login/", {"username": username, "password": password_of(demo, username)})
    return browser, url


def devices(data, username: str) -> tuple[int, int]:
    with sqlite3.connect(data / "ceasefire.sqlite3") as db:
        apps = db.execute(
            "select count(*) from otp_totp_totpdevice d join auth_user u on u.id = d.user_id where u.username = ?",
            [username],
        ).fetchone()[0]
        codes = db.execute(
            "select count(*) from otp_static_statictoken t join otp_static_staticdevice d on d.id = t.device_id "
            "join auth_user u on u.id = d.user_id where u.username = ?",
            [username],
        ).fetchone()[0]
    return apps, codes


def listed(data) -> dict[str, str]:
    """username -> its 2fa cell in `user list`."""
    lines = ceasefire("user", "list", "--data-dir", data).stdout.splitlines()
    at = lines[0].index("2fa")
    return {line.split()[0]: re.split(r"\s{2,}", line[at:])[0] for line in lines[1:]}


def test_a_demo_head_sets_up_its_app_and_the_secretariat_resets_it(server, demo):
    browser, url = sign_in(server, demo, "east-head")
    assert url.endswith("/two-factor/set-up/")
    secret = re.search(r'<code class="secret"[^>]*>([A-Z2-7 ]+)</code>', browser.page).group(1)
    code = str(TOTP(b32decode(secret.replace(" ", ""))).token()).zfill(6)
    url, page = browser.post("/two-factor/set-up/", {"code": code})
    assert url.endswith("/two-factor/recovery-codes/")
    assert len(re.findall(r"<li><code>[a-z2-7]{4}-[a-z2-7]{4}</code></li>", page)) == 10
    url, page = browser.get("/")
    assert url == server.url and "east-head" in page
    assert devices(server.data, "east-head") == (1, 10)
    assert listed(server.data)["east-head"] == "yes"
    assert listed(server.data)["west-head"] == "at next sign-in"
    assert listed(server.data)["observer"] == "no"

    run = ceasefire("user", "reset-2fa", "east-head", "--data-dir", server.data)
    assert run.returncode == 0, run.stderr
    assert "Removed the second factor of east-head" in run.stdout and "10 unused recovery code(s)" in run.stdout
    assert "sets up an authenticator app again at its next sign-in" in run.stdout
    assert devices(server.data, "east-head") == (0, 0)
    url, _ = browser.get("/")
    assert "/login/" in url  # the browser verified with the removed app is signed out
    _, url = sign_in(server, demo, "east-head")
    assert url.endswith("/two-factor/set-up/")


def test_the_observer_signs_in_with_its_password_alone(server, demo):
    browser, url = sign_in(server, demo, "observer")
    assert url == server.url and "observer" in browser.page
    run = ceasefire("user", "reset-2fa", "observer", "--data-dir", server.data)
    assert run.returncode == 0 and "observer had no second factor set up; nothing removed." in run.stdout


def test_an_unknown_account_exits_2(demo):
    run = ceasefire("user", "reset-2fa", "ghost", "--data-dir", demo.dir)
    assert run.returncode == 2
    no_traceback(run)
    assert "'ghost'" in run.stderr
