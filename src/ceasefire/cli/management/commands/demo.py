import argparse
import contextlib
import io
import os
import secrets
import threading
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from ceasefire.record.management.base import Command as Base
from ceasefire.record.management.base import data_dir, data_dir_hint, database_description, fail, unapplied_migrations

from .. import serving

SCENARIO = "libya-2020"
# username, role, party: one login per role a visitor may want to try.
ACCOUNTS = [
    ("east-head", "head", "east"),
    ("east-member", "member", "east"),
    ("west-head", "head", "west"),
    ("west-member", "member", "west"),
    ("facilitator", "facilitator", ""),
    ("observer", "observer", ""),
]
# Each party's witness and the mission's: its key and its state folder, in the data folder.
WITNESSES = "witnesses"
# No 0/O, 1/l/I: a password read off a screen is typed right the first time.
ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_password() -> str:
    """Four groups of five: about 116 bits, and well past the validators (12 characters, not common)."""
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(5)) for _ in range(4))


def site_url(url: str) -> None:
    """The links the needs mail carries point at the port the demo serves, unless the operator
    said where the site is (CEASEFIRE_SITE_URL); gunicorn's workers fork from this process."""
    if os.environ.get("CEASEFIRE_SITE_URL"):
        return
    settings.CEASEFIRE_SITE_URL = url.rstrip("/")
    os.environ["CEASEFIRE_SITE_URL"] = settings.CEASEFIRE_SITE_URL


class Command(Base):
    help = (
        "Set up a demo in the data folder and serve it: a SQLite database, the libya-2020 scenario "
        "(public facts only) and one account per role, whose passwords are generated and shown at "
        "the first start only; exercise members in every seat; a witness key per party and one for "
        "the mission, each of which cosigns the record at the first start. Every page says it is an "
        "exercise. Ctrl-C stops it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
        parser.add_argument("--no-serve", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, host, port, no_serve=False, **options):
        if os.environ.get("DATABASE_URL"):
            raise fail(
                "the demo keeps its own SQLite database in the data folder, and DATABASE_URL is set: "
                "unset it for the demo (env -u DATABASE_URL ceasefire demo), or use `ceasefire serve` "
                "for a deployment on that database"
            )
        if not 0 < port < 65536:
            raise fail(f"--port {port} is not a port number")
        if not no_serve:
            serving.ensure_port_free(host, port)
        self._allow_host(host)
        url = serving.url(host, port)
        site_url(url)

        self.say(f"ceasefire demo: an exercise, kept in {data_dir()}")
        self._migrate()
        self._scenario()
        self._accounts(url)
        self._exercise()
        self._seats()
        self._witnesses(url)
        if no_serve:
            return
        self.say("")
        self.say(f"Serving on {url} with 2 workers. Ctrl-C stops it.")
        serving.run(host, port, workers=2, quiet=True)

    def _allow_host(self, host: str) -> None:
        if os.environ.get("ALLOWED_HOSTS"):
            return  # the operator said which names to accept
        if host in ("0.0.0.0", "::", ""):
            settings.ALLOWED_HOSTS = ["*"]
            self.say(f"Listening on every interface ({host}): any host name is accepted (ALLOWED_HOSTS=*).")
        elif host not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, host]

    def _migrate(self) -> None:
        self.say(f"Migrating the database ({database_description()})…")
        pending = unapplied_migrations()
        if pending:
            call_command("migrate", verbosity=0, interactive=False)
            self.say(f"  {pending} migrations applied")
        else:
            self.say("  up to date")

    def _scenario(self) -> None:
        from ceasefire import scenarios
        from ceasefire.mechanism.models import Mechanism
        from ceasefire.record.models import Event

        if Mechanism.current() is None:
            self.say(f"Loading scenario {SCENARIO} (public facts, with their sources)…")
            n = scenarios.load(SCENARIO)
            self.say(f"  {n} events appended to the record")
        else:
            self.say(f"The record holds {Event.objects.count()} events already; not loading {SCENARIO} again.")

    def _exercise(self) -> None:
        from django.contrib.auth import get_user_model

        from ceasefire.incidents.models import Report
        from ceasefire.record import log
        from ceasefire.scenarios import exercise

        if Report.objects.exists():
            return
        users = {u.username: u for u in get_user_model().objects.filter(username__in=[a[0] for a in ACCOUNTS])}
        with log.batch():
            before = log.size()
            n = exercise.load(users)
            events = log.size() - before
        self.say(
            f"Filing {n} exercise reports, marked EXERCISE (they describe no real event): {events} events appended"
        )

    def _seats(self) -> None:
        from django.contrib.auth import get_user_model

        from ceasefire.mechanism.accounts import actor_for
        from ceasefire.record import log
        from ceasefire.scenarios import exercise

        delegates = {}  # party -> [head, member]: the accounts seats 1 and 2 stand for
        for username, role, party in ACCOUNTS:
            if role in ("head", "member"):
                delegates.setdefault(party, []).append(username)
        facilitator = actor_for(get_user_model().objects.get(username="facilitator"))
        with log.batch():
            before = log.size()
            seated = exercise.seat_members(facilitator, delegates)
            events = log.size() - before
        if seated:
            self.say(
                f"Seating {len(seated)} exercise members, marked EXERCISE (no real person), so that "
                f"attendance and quorum can be tried: {events} events appended"
            )

    def _witnesses(self, url: str) -> None:
        """A witness key for each party that has a speaking account, and one for the mission, kept
        in the data folder and registered in the record by whoever may (the party's head, the
        facilitator); each new witness then runs one round, so that the record starts cosigned."""
        from django.contrib.auth import get_user_model

        from ceasefire.api.tokens import create_token
        from ceasefire.mechanism.accounts import actor_for
        from ceasefire.mechanism.commands import register_witness_key
        from ceasefire.mechanism.models import Party, WitnessKey
        from ceasefire.record import keyfile, keys, log

        speakers = {party: username for username, role, party in ACCOUNTS if role == "head"}
        holders = [(p.code, speakers[p.code]) for p in Party.objects.order_by("order") if p.code in speakers]
        holders.append(("", "facilitator"))
        folder = Path(data_dir()) / WITNESSES
        users = {u.username: u for u in get_user_model().objects.filter(username__in=[h[1] for h in holders])}
        new = []
        with log.batch():
            before = log.size()
            for code, username in holders:
                if WitnessKey.objects.filter(party_id=code or None, retired_at__isnull=True).exists():
                    continue
                where = folder / (code or "mission")
                key = where / "witness.key"
                if key.exists():  # made at a start that stopped before registering it
                    vkey = str(keyfile.read(key).verifier)
                else:
                    where.mkdir(mode=0o700, parents=True, exist_ok=True)
                    vkey = keys.generate(f"exercise-{code or 'mission'}-witness", key)
                register_witness_key(actor_for(users[username]), {"party": code, "vkey": vkey})
                new.append(where)
                # The witness reads as its party (an auditing witness checks every entry it may read),
                # with a token that can do nothing else: a head's full token could take positions.
                token = where / "token"
                token.write_text(create_token(users[username], "exercise witness", read_only=True) + "\n")
                token.chmod(0o600)
            events = log.size() - before
        if not new:
            return
        self.say(
            f"Registering {len(new)} witness keys (kept in {folder}), one per party and the mission: {events} events appended"
        )
        before = log.size()
        for where, (code, said) in zip(new, self._witness_round(new), strict=True):
            self.say(
                f"  {where.name} witness: {'cosigned checkpoint ' + said if code == 0 else 'could not cosign: ' + said}"
            )
        self.say(f"  The cosignatures kept are entries of the record too: {log.size() - before} events appended")
        hint = (
            f"ceasefire witness --server {url} --key {new[0] / 'witness.key'} --state {new[0] / 'state'} "
            f"--token-file {new[0] / 'token'}"
        )
        self.say(f"  Run a round again (for each of them, with the demo serving): {hint}")

    def _witness_round(self, holders: list[Path]) -> list[tuple[int, str]]:
        """One round of each holder's witness (ceasefire.record.witness, in this process) against
        the app served on a free local port: (exit code, the checkpoint's size or what went wrong)."""
        from ceasefire.record import checkpoints, log, witness

        last = checkpoints.latest()
        if last is None or last.size < log.size():
            checkpoints.sign_now()  # the whole record, the witness keys included
        size = str(checkpoints.latest().size)
        results = []
        with _local_app() as url:
            for where in holders:
                out, err = io.StringIO(), io.StringIO()
                argv = ["--server", url, "--key", str(where / "witness.key"), "--state", str(where / "state")]
                if (where / "token").exists():
                    argv += ["--token-file", str(where / "token")]
                code = witness.main(argv, out=out, err=err)
                said = err.getvalue().strip().splitlines()
                results.append((code, size if code == 0 else (said[-1] if said else f"exit {code}")))
        return results

    def _accounts(self, url: str) -> None:
        from django.contrib.auth import get_user_model

        from ceasefire.errors import Invalid
        from ceasefire.mechanism.accounts import create_account
        from ceasefire.mechanism.models import Role
        from ceasefire.record import log

        names = [a[0] for a in ACCOUNTS]
        existing = set(get_user_model().objects.filter(username__in=names).values_list("username", flat=True))
        created = []
        before = log.size()
        with transaction.atomic():
            for username, role, party in ACCOUNTS:
                if username in existing:
                    continue
                for attempt in range(5):
                    password = new_password()
                    try:
                        create_account(username, password, role, party)
                        break
                    except Invalid as e:  # a validator disliked this draw: draw again
                        if e.field != "password" or attempt == 4:
                            raise
                created.append((username, str(Role(role).label), party or "-", password))

        if existing:
            self.say("")
            self.say(f"The demo accounts exist already: {', '.join(n for n in names if n in existing)}.")
            self.say(
                "Their passwords were shown at the first start; "
                f"`ceasefire user password USERNAME{data_dir_hint()}` sets a new one."
            )
        if created:
            self.say("")
            self.say(f"Demo accounts: sign in at {url}")
            self.say("These passwords are shown only now. The accounts are an exercise: no real person.")
            self.say(
                f"Each account is enrolled in the record, for the parties' eyes only (entries others read name "
                f"its role, not its username): {log.size() - before} events appended"
            )
            self.say("")
            rows = [("username", "role", "party", "password"), *created]
            widths = [max(len(r[i]) for r in rows) for i in range(4)]
            for i, row in enumerate(rows):
                self.say("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
                if i == 0:
                    self.say("  " + "  ".join("-" * w for w in widths))
            self.say("")
            self.say(
                "Heads, members and the facilitator set up an authenticator app at their first sign-in "
                "(two-factor sign-in, as in production); the observer signs in with its password alone."
            )


@contextlib.contextmanager
def _local_app():
    """The app served on 127.0.0.1 at a free port, in threads of this process, while inside."""
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    class Threaded(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    hosts = settings.ALLOWED_HOSTS
    settings.ALLOWED_HOSTS = [*hosts, "127.0.0.1"]
    server = make_server("127.0.0.1", 0, get_wsgi_application(), server_class=Threaded, handler_class=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        settings.ALLOWED_HOSTS = hosts
