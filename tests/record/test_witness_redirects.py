"""The witness follows no redirect: urllib would send its token (Authorization: Bearer) to wherever
the server points, another host included. A redirect is exit 2, naming where it pointed, and the
token goes nowhere but --server."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .test_witness import log, party, run  # noqa: F401 (fixtures)


@pytest.fixture
def redirector(log):  # noqa: F811
    """A server on another address that redirects every request to the fake log."""
    target = log.url

    class Handler(BaseHTTPRequestHandler):
        def _redirect(self):
            self.send_response(307)
            self.send_header("Location", target + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = _redirect

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_redirect_is_not_followed_and_the_token_stays_home(log, party, redirector, tmp_path, monkeypatch):  # noqa: F811
    log.add(3)
    monkeypatch.setenv("CEASEFIRE_WITNESS_TOKEN", "cf_secret")
    log.url = redirector  # run() points the witness at the redirector
    code, out, err = run(log, party)
    assert code == 2, (out, err)
    assert f"{redirector}/api/v1/record/log-key redirects to " in err and "no redirect is followed" in err
    assert err.count("\n") == 1
    assert log.requests == [] and log.authorization == []  # the log never heard from the witness
