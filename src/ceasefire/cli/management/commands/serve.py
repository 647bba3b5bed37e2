from ceasefire.record.management.base import Command as Base
from ceasefire.record.management.base import database_description, fail

from .. import serving
from ..production import OK, PROBLEM, items


class Command(Base):
    help = (
        "Serve the web UI and the API with gunicorn: the production server. It first warns, on "
        "stderr, of whatever `ceasefire check` would call a problem, then serves anyway. "
        "Static files are served by the application itself (whitenoise)."
    )
    requires_system_checks = "__all__"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
        parser.add_argument(
            "--workers",
            type=int,
            default=serving.default_workers(),
            help=f"worker processes (default 2 x cores + 1, at most 8: {serving.default_workers()} here)",
        )
        parser.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")

    def handle(self, *args, host, port, workers, threads, **options):
        if not 0 < port < 65536:
            raise fail(f"--port {port} is not a port number")
        if workers < 1:
            raise fail(f"--workers {workers}: at least 1")
        if threads < 1:
            raise fail(f"--threads {threads}: at least 1")
        found = [i for i in items() if i.level != OK]
        for item in found:
            label = "PROBLEM" if item.level == PROBLEM else "warning"
            self.note(f"ceasefire serve: {label} {item.name}: {item.text}")
        if found:
            self.note("ceasefire serve: `ceasefire check` lists these; serving anyway.")
        serving.ensure_port_free(host, port)
        self.say(
            f"Serving on {serving.url(host, port)} with {workers} worker{'s' * (workers != 1)} x {threads} thread{'s' * (threads != 1)} "
            f"({database_description()}). Ctrl-C stops it."
        )
        serving.run(host, port, workers=workers, threads=threads)
