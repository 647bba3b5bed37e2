"""What a production deployment still lacks: `ceasefire check` prints it, `ceasefire serve` warns with it.

Each item is "ok", a "warning" (worth knowing, not unsafe) or a "problem" (missing or unsafe:
`check` exits 1). Django's deployment checks are included; those that say the same as one of ours
are folded into ours.
"""

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.db import DatabaseError, connection

from ceasefire.record import guard, privileges
from ceasefire.record.management.base import data_dir_hint, database_description, unapplied_migrations

OK, WARNING, PROBLEM = "ok", "warning", "problem"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1", ".localhost"}
# Django deployment checks that our own items already cover.
FOLDED = {
    "security.W004": "SECURE_HSTS_SECONDS",
    "security.W008": "SECURE_SSL_REDIRECT",
    "security.W009": "SECRET_KEY",
    "security.W012": "SECURE_COOKIES",
    "security.W016": "SECURE_COOKIES",
    "security.W018": "DEBUG",
    "security.W020": "ALLOWED_HOSTS",
}


@dataclass(frozen=True)
class Item:
    level: str
    name: str
    text: str


def _secret_key(django_ids: set[str]) -> Item:
    if not os.environ.get("SECRET_KEY"):
        return Item(
            PROBLEM,
            "SECRET_KEY",
            f"not set in the environment: the key generated in {settings.DATA_DIR / 'secret_key'} is used. "
            "Set SECRET_KEY to a long random value kept with your secrets, the same on every app server "
            "(python3 -c 'import secrets; print(secrets.token_urlsafe(50))').",
        )
    if "security.W009" in django_ids:
        return Item(PROBLEM, "SECRET_KEY", "set, but weak: use at least 50 random characters.")
    return Item(OK, "SECRET_KEY", "set in the environment")


def _allowed_hosts() -> Item:
    hosts = list(settings.ALLOWED_HOSTS)
    if not hosts:
        return Item(PROBLEM, "ALLOWED_HOSTS", "empty: set it to the host name(s) the site is served under.")
    if "*" in hosts:
        return Item(PROBLEM, "ALLOWED_HOSTS", "contains '*': any Host header is accepted; name the site's host(s).")
    if all(h in LOCAL_HOSTS for h in hosts):
        return Item(
            PROBLEM,
            "ALLOWED_HOSTS",
            f"only this machine ({', '.join(hosts)}): set ALLOWED_HOSTS to the name(s) the site is "
            "served under, e.g. ALLOWED_HOSTS=jmc.example.org",
        )
    return Item(OK, "ALLOWED_HOSTS", ", ".join(hosts))


def _database() -> list[Item]:
    items = []
    if connection.vendor == "postgresql":
        items.append(Item(OK, "DATABASE_URL", database_description()))
    else:
        why = "not set" if not os.environ.get("DATABASE_URL") else f"set to {connection.vendor}"
        items.append(
            Item(
                WARNING,
                "DATABASE_URL",
                f"{why}: {database_description()}. Fine for one committee on one machine; a shared "
                "deployment (several app servers, read replicas) needs DATABASE_URL=postgres://…",
            )
        )
    try:
        pending = unapplied_migrations()
    except DatabaseError as e:
        first = str(e).strip().splitlines()[0]
        if not privileges.insufficient_privilege(e):
            items.append(Item(PROBLEM, "database", f"cannot be reached: {first}"))
            return items
        items.append(Item(PROBLEM, "database", f"reached, but its role may not read it: {first}"))
        items += _who_could_rewrite()  # which says what the role lacks
        return items
    if pending:
        items.append(Item(PROBLEM, "database", f"{pending} migrations not applied: run `ceasefire migrate`"))
    else:
        items.append(Item(OK, "database", "reachable, all migrations applied"))
        items.append(_record_guard())  # installed by a migration: judged once they all ran
        if connection.vendor == "postgresql":
            items.append(_text_index())
    items += _who_could_rewrite()
    return items


def _record_guard() -> Item:
    """The triggers that make the record's tables append-only. Only an administrator's hand or
    a migration that rebuilt a table removes them: either way someone should look."""
    name = "record-guard"
    try:
        missing = guard.missing()
    except NotImplementedError as e:
        return Item(PROBLEM, name, f"{e}: nothing in the database stops a change to the record.")
    if not missing:
        refused = "UPDATE, DELETE and TRUNCATE" if connection.vendor == "postgresql" else "UPDATE and DELETE"
        return Item(OK, name, f"the record's tables refuse {refused}")
    hint = data_dir_hint()
    where = "on every table" if len(missing) == len(guard.refusals()) else f"for {', '.join(missing)}"
    return Item(
        PROBLEM,
        name,
        f"missing {where}: someone dropped or disabled the triggers that keep the "
        f"record's tables append-only. Check the record with `ceasefire replay --check{hint}` and "
        "against the witnesses' checkpoints, then put the guard back with "
        f"`ceasefire{hint} manage shell -c 'from ceasefire.record import guard; guard.install()'`"
        + (", with the DATABASE_URL of the tables' owner." if connection.vendor == "postgresql" else "."),
    )


def _text_index() -> Item:
    """The trigram index a text search of the reports reads on PostgreSQL (incidents.text_index):
    without it every search reads every report, a second or more at 100,000."""
    from ceasefire.incidents import text_index

    name = "text-search-index"
    try:
        why = text_index.missing(connection)
    except DatabaseError as e:
        return Item(WARNING, name, f"cannot be read: {str(e).strip().splitlines()[0]}")
    if not why:
        return Item(OK, name, f"{text_index.INDEX} ({text_index.EXTENSION}) serves the text search of reports")
    how = "" if "LC_CTYPE" in why else f" To make it fast, {text_index.HOW}."
    return Item(
        WARNING, name, f"{why}: a text search of the reports gives the same answers but reads every report.{how}"
    )


GUIDE = 'README: "Running the server with a role that cannot rewrite the record"'


def _who_could_rewrite() -> list[Item]:
    """Who, beside the guard's triggers, could change the record: on PostgreSQL the role the server
    connects as, on SQLite whoever may write the file."""
    if connection.vendor == "sqlite":
        return [_database_file()]
    if connection.vendor != "postgresql":
        return []
    name = "database-role"
    try:
        if set(guard.TABLES) - set(connection.introspection.table_names()):
            return [
                Item(WARNING, name, "the record's tables are not there yet: run `ceasefire migrate` as their owner")
            ]
        role = privileges.standing()
    except DatabaseError as e:
        return [Item(PROBLEM, name, f"cannot be read: {str(e).strip().splitlines()[0]}")]
    advice = (
        "Run the server as a role that may only read and append to the record: create one, run "
        "`ceasefire db grant ROLE` as the tables' owner, and serve with a DATABASE_URL naming it "
        f"({GUIDE})."
    )
    if role.superuser:
        return [
            Item(
                WARNING,
                name,
                f"{role.role!r} is a superuser: it may drop the guard's triggers and rewrite the record, and so "
                f"may anyone who takes over the server. {advice}",
            )
        ]
    if role.owns:
        return [
            Item(
                WARNING,
                name,
                f"{role.role!r} owns, or may act as the owner of, {privileges.summary(role.owns)}: it may drop "
                f"the guard's triggers and rewrite the record, and so may anyone who takes over the server. {advice}",
            )
        ]
    if role.rewrites:
        return [
            Item(
                WARNING,
                name,
                f"{role.role!r} owns none of the record's tables, but holds privileges that would let it change "
                f"them: {privileges.summary(role.rewrites)}. "
                f"`ceasefire db grant {role.role}`, run as the tables' owner, takes that away ({GUIDE}).",
            )
        ]
    if role.lacks:
        return [
            Item(
                PROBLEM,
                name,
                f"{role.role!r} may not rewrite the record, but lacks what the server needs: "
                f"{privileges.summary(role.lacks)}. Run `ceasefire db grant {role.role}` as the tables' owner "
                "(again after each `ceasefire migrate`).",
            )
        ]
    return [
        Item(
            OK,
            name,
            f"{role.role!r} may read the record's tables, append to them and move the head forward, nothing more: "
            "the database refuses it UPDATE, DELETE and TRUNCATE of the record, and it may not drop or disable "
            "the guard's triggers",
        )
    ]


def _database_file() -> Item:
    """On SQLite nothing but the file's permissions stands between whoever may write it and the record."""
    name = "database-file"
    path = Path(connection.settings_dict["NAME"])
    text = (
        f"whoever may write {path} or its folder may drop the guard's triggers and rewrite the record: the "
        "file's permissions are the only protection. Keep the data folder writable by the server's user alone "
        "(chmod 700); on PostgreSQL the server can run as a role that may not rewrite the record"
    )
    try:
        modes = {p: p.stat().st_mode for p in (path, path.parent) if p.exists()}
    except OSError:
        modes = {}
    open_to_all = [str(p) for p, mode in modes.items() if mode & stat.S_IWOTH]
    if open_to_all:
        return Item(
            PROBLEM,
            name,
            f"{' and '.join(open_to_all)} may be written by every user of this machine (chmod o-w). "
            + text[0].upper()
            + text[1:],
        )
    shown = ", ".join(f"{p.name or p} {stat.filemode(mode)}" for p, mode in modes.items())
    return Item(WARNING, name, text + (f" (now {shown})" if shown else ""))


def _trusted_proxies() -> Item:
    """Behind a reverse proxy every sign-in comes from its address unless it is named: one
    person's failed sign-ins would then make every user of that account wait."""
    name = "CEASEFIRE_TRUSTED_PROXIES"
    if settings.TRUSTED_PROXIES:
        return Item(OK, name, ", ".join(str(p) for p in settings.TRUSTED_PROXIES))
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return Item(
            WARNING,
            name,
            "unset, though SECURE_PROXY_SSL_HEADER says a proxy is in front: every sign-in seems to come "
            "from the proxy's address, so anyone's failed sign-ins make a delegate wait. Set it to the "
            "proxy's address, e.g. CEASEFIRE_TRUSTED_PROXIES=127.0.0.1",
        )
    return Item(OK, name, "unset: sign-ins are counted by the address of the connection (no proxy in front)")


def items() -> list[Item]:
    messages = [
        m
        for m in checks.run_checks(include_deployment_checks=True)
        if m.level >= checks.WARNING and not m.is_silenced()
    ]
    django_ids = {m.id for m in messages}
    found = [_secret_key(django_ids)]
    found.append(
        Item(PROBLEM, "DEBUG", "on: error pages show code and settings to anyone; unset DEBUG.")
        if settings.DEBUG
        else Item(OK, "DEBUG", "off")
    )
    found.append(_allowed_hosts())
    found += _database()
    found.append(
        Item(OK, "SECURE_COOKIES", "on")
        if settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
        else Item(
            PROBLEM,
            "SECURE_COOKIES",
            "off: session and CSRF cookies would also travel over plain HTTP; serve over HTTPS and set SECURE_COOKIES=true.",
        )
    )
    found.append(
        Item(OK, "SECURE_SSL_REDIRECT", "on")
        if settings.SECURE_SSL_REDIRECT
        else Item(
            PROBLEM,
            "SECURE_SSL_REDIRECT",
            "off: plain HTTP is served instead of redirected to HTTPS; set SECURE_SSL_REDIRECT=true "
            "(behind a proxy that terminates TLS, also SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto).",
        )
    )
    found.append(
        Item(OK, "SECURE_HSTS_SECONDS", str(settings.SECURE_HSTS_SECONDS))
        if settings.SECURE_HSTS_SECONDS
        else Item(
            PROBLEM,
            "SECURE_HSTS_SECONDS",
            "0: browsers are not told to insist on HTTPS; once HTTPS works set SECURE_HSTS_SECONDS=3600, "
            "then 31536000.",
        )
    )
    found.append(_trusted_proxies())
    if getattr(settings, "DEMO", False):
        found.append(Item(PROBLEM, "CEASEFIRE_DEMO", "on: every page says it is an exercise; unset CEASEFIRE_DEMO."))
    for m in messages:
        if m.id in FOLDED:
            continue
        text = m.msg + (f" ({m.hint})" if m.hint else "")
        found.append(Item(PROBLEM if m.level >= checks.ERROR else WARNING, f"django {m.id}", " ".join(text.split())))
    return found
