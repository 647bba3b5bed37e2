"""Serving the WSGI application with gunicorn, in this process (it becomes gunicorn's arbiter).

Ctrl-C (SIGINT) or SIGTERM stops the workers and exits with 0; workers notice a dead arbiter and
exit by themselves.
"""

import errno
import os
import socket
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import translation

from ceasefire.record.management.base import fail


def default_workers() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return min(2 * cores + 1, 8)


def url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else ("[::1]" if host == "::" else host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def ensure_port_free(host: str, port: int) -> None:
    """Fail early, with the port named, rather than after gunicorn's five retries."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host.strip("[]"), port))
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise fail(f"port {port} on {host} is in use: choose another with --port") from None
        raise fail(f"cannot listen on {host}:{port}: {e.strerror or e}") from None


PERSISTENT = 60  # seconds a served connection is kept (CONN_MAX_AGE)


def run(host: str, port: int, workers: int, *, threads: int = 4, quiet: bool = False) -> None:
    """Serve until interrupted. Does not return: gunicorn ends the process (exit 0 on Ctrl-C)."""
    from gunicorn.app.base import BaseApplication

    options = {
        "bind": _bind(host, port),
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "proc_name": "ceasefire",
        "graceful_timeout": 10,
        "timeout": 120,
        "loglevel": "warning" if quiet else "info",
        "accesslog": None if quiet else "-",
    }

    class Application(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)
            # Gunicorn 24+ opens a control socket under $HOME, which a service account often cannot
            # write ("Control server error: Permission denied"); nothing here uses it.
            if "control_socket_disable" in self.cfg.settings:
                self.cfg.set("control_socket_disable", True)

        def load(self):
            from ceasefire.wsgi import application

            return application

    # whitenoise warns at every start about a STATIC_ROOT that does not exist (we serve from finders).
    if settings.STATIC_ROOT:
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    # Workers are forked from this process: no open connection or active language may follow them.
    connections.close_all()
    # Each worker thread keeps its connection for a minute, checked before it is used again:
    # opening SQLite's with its PRAGMAs was a third of a small request's cost.
    for alias in connections:
        connections.settings[alias].update(CONN_MAX_AGE=PERSISTENT, CONN_HEALTH_CHECKS=True)
    translation.deactivate()
    Application().run()
