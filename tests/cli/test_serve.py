"""`ceasefire serve` warns on stderr of what `ceasefire check` would call a problem, then serves the
web UI and the API anyway; Ctrl-C stops it with 0. It runs as a service account would: with a home
it may not write."""

import urllib.request

from .helpers import Server, environment


def test_serve_warns_then_serves(demo, tmp_path):
    home = tmp_path / "home"
    home.write_text("not a folder: nothing can be written under it, even by root")
    args = ("--workers", "1", "--threads", "2")
    server = Server(demo.copy(tmp_path / "data"), *args, command="serve", env=environment(HOME=str(home)))
    try:
        server.wait_until_listening()
        assert "ceasefire serve: PROBLEM SECRET_KEY" in server.output
        assert "ceasefire serve: PROBLEM ALLOWED_HOSTS" in server.output
        assert "with 1 worker x 2 threads" in server.output
        with urllib.request.urlopen(server.url + "api/v1/openapi.json", timeout=20) as response:
            assert response.status == 200
    finally:
        code = server.interrupt()
    assert code == 0, server.output
    assert "Traceback" not in server.output
    assert "rror" not in server.output  # gunicorn's control socket under $HOME said "Control server error"
