"""The public page: what the committee publishes, without a login, in Arabic and English.

Everything here is read as the public (reader None), whoever asks, signed in or not: the rows
through the functions the API answers an anonymous caller with (its routers' querysets and its
output schemas, which ask ceasefire.audience field by field), the rest through ceasefire.audience
itself. Nothing here says who may read what.

A news day brings a crowd, and what the page shows changes only with the record. Each page's
HTML is kept in the cache under the record's newest checkpoint (its size and root), the number of
cosignatures the server holds, the page's address and its language: between two checkpoints
nothing is counted or rendered again. The language is chosen by `?lang=` (a link, so that the page
holds no form and no CSRF token and can be shared between readers), else by the reader's browser.
"""

import base64
import copy
import datetime as dt
import fcntl
import functools
import os
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.paginator import EmptyPage, Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from ceasefire import audience
from ceasefire.agreements.models import Agreement
from ceasefire.api.routers import mechanism as mechanism_api
from ceasefire.api.routers import reports as reports_api
from ceasefire.api.schemas import (
    AgreementSummary,
    DecisionOut,
    ProvisionOut,
    ReportOut,
    ReportSummary,
    WitnessKeyOut,
)
from ceasefire.errors import NotFound
from ceasefire.incidents.models import Finding, Report
from ceasefire.mechanism.models import Decision, Mechanism, Party
from ceasefire.mechanism.witnesses import witnesses
from ceasefire.publications.models import Publication
from ceasefire.record import bundle, checkpoints
from ceasefire.record.models import Checkpoint, Cosignature, Event
from ceasefire.sitrep import build as sitrep_build
from ceasefire.sitrep import store
from ceasefire.sitrep.figures import count_cells, parse_period
from ceasefire.sitrep.models import Issued

PUBLIC = None  # the reader every page here is for: the public
LANGUAGES = ("ar", "en")
PER_PAGE = 50
LATEST = 5  # published reports shown on the first page
CACHE_SECONDS = 24 * 3600  # a key names its checkpoint: an entry is never stale, only unused
STATE_SECONDS = 1.0  # how long a worker goes on with the record's state it last read
_state: tuple[float, tuple[int, str, int, int] | None] = (0.0, None)


class _Anonymous:
    """A request as the API's schemas and routers read their reader from it: no credentials,
    so the public (api.auth.reader gives None)."""

    auth = None


def _out(schema, obj) -> dict:
    """`obj` as the API answers it to an anonymous caller."""
    return schema.from_orm(obj, context={"request": _Anonymous()}).model_dump()


def language(request) -> str:
    asked = request.GET.get("lang", "")
    if asked in LANGUAGES:
        return asked
    current = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return current if current in LANGUAGES else settings.LANGUAGE_CODE


def state() -> tuple[int, str, int, int]:
    """What the pages are rendered from: the newest checkpoint (signing one if one is due), the
    cosignatures held, and the newest entry since that took a report back from the public. A worker
    reads it at most once every STATE_SECONDS: a page served from the cache then opens no database
    connection at all, and a new checkpoint shows that much later."""
    global _state
    now = time.monotonic()
    read_at, value = _state
    if value is None or now - read_at >= STATE_SECONDS:
        cp = checkpoints.current()
        if cp is None:
            value = (0, "", 0, _taken_back(0))
        else:
            root = base64.b64encode(bytes(cp.root)).decode()
            value = (cp.size, root, Cosignature.objects.count(), _taken_back(cp.size))
        _state = (now, value)
    return value


def _taken_back(since: int) -> int:
    """The newest entry from `since` on that shares a report with less than the public, or 0. A
    publication waits for the checkpoint that signs it; a report taken back from the public must
    leave the pages kept in the cache at once, for the public may no longer read it. The entries a
    checkpoint does not cover yet are few; those of this type fewer still."""
    newest = 0
    for e in Event.objects.filter(type="report.visibility_set", seq__gte=since).only("seq", "body"):
        if e.payload["visibility"] != audience.PUBLIC:
            newest = max(newest, e.seq)
    return newest


def _as_public(request):
    """The request as the public makes it: no account. The page is rendered once for every reader,
    so nothing the templates take from the request (the context processors' `user` and `can`, which
    {% bi %} asks for the translations a reader may read) may be the signed-in reader's."""
    public = copy.copy(request)
    public.user = AnonymousUser()
    for kept in [k for k in public.__dict__ if k.startswith("_ceasefire_")]:  # what it remembers of its reader
        del public.__dict__[kept]
    return public


def page_number(request) -> int:
    """The page of a list asked for (`?page=`): 1 unless a number is given."""
    asked = request.GET.get("page", "")
    return int(asked) if asked.isascii() and asked.isdigit() and len(asked) <= 7 else 1


def cached(view=None, *, paged=False):
    """Serve the page's HTML from the cache, keyed by the record's state, the address, the language
    and, for a list (`paged`), its page number; render it (in that language) only when the key is
    new. Nothing else the address carries is in the key: `?page=anything` on a page that has no
    pages would otherwise render it again, and push the pages readers ask out of the cache."""
    if view is None:
        return functools.partial(cached, paged=paged)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        lang = language(request)
        page = page_number(request) if paged else ""
        size, root, cosigned, taken_back = state()
        key = f"public:{lang}:{request.path}:{page}:{size}:{root}:{cosigned}:{taken_back}"
        body = cache.get(key)
        if body is None:
            with translation.override(lang):
                response = view(_as_public(request), *args, lang=lang, **kwargs)
            if response.status_code != 200:
                return response
            body = response.content
            cache.set(key, body, CACHE_SECONDS)
        response = HttpResponse(body, content_type="text/html; charset=utf-8")
        response["Content-Language"] = lang
        if "lang" not in request.GET:  # then the language came from the cookie or the browser's
            patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response

    return wrapper


def _page(request, template: str, lang: str, context: dict):
    return render(
        request,
        template,
        {**context, "LANG": lang, "RTL": lang == "ar", "OTHER": "en" if lang == "ar" else "ar", "path": request.path},
    )


# ---------------------------------------------------------------- what each section reads


def _both(row, field: str) -> dict:
    """A bilingual field as the API answers it: in the reader's language, and in each, so that the
    page marks a text shown in the other language as such ({% bi %})."""
    return {
        field: row.text(field),
        f"{field}_ar": getattr(row, f"{field}_ar"),
        f"{field}_en": getattr(row, f"{field}_en"),
    }


def _committee() -> dict | None:
    m = Mechanism.current()
    if m is None or not audience.reads(PUBLIC, "mechanism"):
        return None
    parties = []
    for p in m.parties.order_by("order"):
        parties.append(
            {
                "code": p.code,
                **_both(p, "name"),
                "seats": p.seats,
                "quorum": p.quorum,
                # a suspension is read from its own entry
                "suspended": p.suspended if audience.reads(PUBLIC, "mechanism", "suspensions") else None,
                "suspended_since": p.suspended_since if audience.reads(PUBLIC, "mechanism", "suspensions") else None,
            }
        )
    return {
        **_both(m, "name"),
        **_both(m, "mandate"),
        **_both(m, "facilitator"),
        "established_on": m.established_on,
        "source": m.source,
        "parties": parties,
        "members_public": audience.reads(PUBLIC, "member"),
    }


def _reports(limit: int, offset: int) -> tuple[int, list[dict]]:
    """The published reports, newest first, as GET /api/v1/reports answers the public."""
    found = reports_api.reports(_Anonymous(), limit=limit, offset=offset)
    return found["count"], [_out(ReportSummary, r) for r in found["items"]]


def _map() -> dict:
    """The published reports of alleged violations on the map, counted as the situation report's
    map counts them (sitrep.figures.count_cells), drawn on the server from the shipped geography."""
    from ceasefire.incidents import queries
    from ceasefire.sitrep import svg
    from ceasefire.sitrep.figures import CELL, Line

    cells, unplaced = count_cells(queries.violations(queries.visible(PUBLIC)))
    lines = [
        ((i * CELL, j * CELL), Line(f"map.{i},{j}", f"{j * CELL:g}°N {i * CELL:g}°E", n))
        for (i, j), n in sorted(cells.items())
    ]
    # the map's text alternative: each cell as the degrees it spans, north to south, and its count
    table = [
        {"lat": f"{j * CELL:g}–{(j + 1) * CELL:g}", "lon": f"{i * CELL:g}–{(i + 1) * CELL:g}", "count": n}
        for (i, j), n in sorted(cells.items(), key=lambda c: (-c[0][1], c[0][0]))
    ]
    return {"shapes": svg.map_shapes(lines), "points": sum(cells.values()), "unplaced": unplaced, "cells": table}


def _published(subject: str) -> list[Publication]:
    """What the facilitator published of `subject`, newest first: the public reads the copy its
    entry holds (ceasefire.publications), not the entries it copies."""
    return list(audience.rows(PUBLIC, "publication", Publication.objects.filter(subject=subject).order_by("-id")))


def _decisions() -> list[dict]:
    """The decisions the record tells the public were adopted: from their own entries where the
    public reads them, else as the facilitator published them."""
    if audience.reads(PUBLIC, "decision", "adopted"):
        qs = audience.rows(PUBLIC, "decision", Decision.objects.filter(adopted=True)).select_related("meeting")
        return [_out(DecisionOut, d) for d in qs.order_by("-adopted_at", "-id")]
    return [
        {
            "text_ar": p.content["text_ar"],
            "text_en": p.content["text_en"],
            "adopted_on": dt.date.fromisoformat(p.content["adopted_on"]) if p.content["adopted_on"] else None,
            "adopted_through": p.content["adopted_through"],
            "meeting_on": dt.date.fromisoformat(p.content["meeting_starts_on"]),
            "adopted_source": p.content["adopted_source"],
            "entry": p.id,
        }
        for p in _published(Publication.DECISION)
    ]


def _agreements() -> list[dict]:
    """Each agreement with its provisions, where each stands and how far it is implemented, as the
    API answers the public (agreements.queries.with_implementation, asked for reader None); a
    status the public does not read from its entry is the newest the facilitator published."""
    from ceasefire.agreements import queries

    statuses: dict[int, dict] = {}
    for p in sorted(_published(Publication.AGREED_STATUS), key=lambda p: (p.content["as_of"], p.id)):
        statuses[p.content["provision"]] = {**p.content, "entry": p.id}
    out = []
    for agreement in Agreement.objects.order_by("signed_on", "id"):
        provisions = queries.with_implementation(agreement.provisions.all(), PUBLIC).prefetch_related("interpretations")
        rows = [_out(ProvisionOut, p) for p in provisions]
        for row in rows:
            published = statuses.get(row["id"])
            if published is not None and not (row["implementation"] or {}).get("status_name"):
                row["implementation"] = {
                    **(row["implementation"] or {}),
                    "status_name": published["status"],
                    "as_of": dt.date.fromisoformat(published["as_of"]),
                    "published_entry": published["entry"],
                }
        out.append({**_out(AgreementSummary, agreement), "provisions": rows})
    return out


def _latest_sitrep() -> Issued | None:
    """The newest situation report issued for the public (the record holds its hash)."""
    return next((i for i in Issued.objects.all()[:200] if audience.within(i.audience, PUBLIC)), None)


def _record() -> dict:
    cp = checkpoints.current()
    if cp is None:
        return {"checkpoint": None}
    cosigned = {(c.name, c.key_id) for c in Cosignature.objects.filter(checkpoint=cp)}
    keys = [_out(WitnessKeyOut, k) for k in mechanism_api.witness_keys(_Anonymous())]
    holders = witnesses(cp.size)
    for h in holders:
        h.cosigned_latest = h.active is not None and (h.active.name, h.active.key_id) in cosigned
    return {
        "checkpoint": cp,
        "root": base64.b64encode(bytes(cp.root)).decode(),
        "note": checkpoints.served(cp),
        "cosignatures": len(cosigned),
        "holders": holders,
        "keys": keys,
        "log_key": checkpoints.log_vkey(),
        "parties": {p.code: p.text("name") for p in Party.objects.all()},
    }


# ---------------------------------------------------------------- the pages


@cached
def home(request, lang):
    count, latest = _reports(LATEST, 0)
    issued = _latest_sitrep()
    context = {
        "committee": _committee(),
        "reports_count": count,
        "map": _map() if count else None,
        "latest": latest,
        "decisions": _decisions(),
        "agreements": _agreements(),
        "sitrep": issued,
        "record": _record(),
    }
    context["nothing"] = not (count or context["decisions"] or context["agreements"] or issued)
    return _page(request, "web/public/home.html", lang, {**context, "section": "home"})


@cached(paged=True)
def reports(request, lang):
    count = _reports(1, 0)[0]
    pages = Paginator(range(count), PER_PAGE)
    try:  # a page past the last is no page (and is not kept in the cache)
        page = pages.page(page_number(request))
    except EmptyPage:
        raise Http404(_("No such page.")) from None
    _count, items = _reports(PER_PAGE, (page.number - 1) * PER_PAGE)
    return _page(
        request, "web/public/reports.html", lang, {"count": count, "items": items, "page": page, "section": "reports"}
    )


@cached
def report(request, ref, lang):
    """A published report, as GET /api/v1/reports/{id} answers the public: 404 for any other."""
    _r, year, number = ref.split("-")
    found = Report.objects.filter(year=int(year), number=int(number)).values_list("id", flat=True).first()
    try:
        r = reports_api.report(_Anonymous(), found if found is not None else -1)
    except NotFound:
        raise Http404(_("No such report.")) from None
    if r.reference != ref:
        raise Http404(_("No such report."))
    context = {
        "r": _out(ReportOut, r),
        "parties": {p.code: p.text("name") for p in Party.objects.all()},
        "results": {code: str(label) for code, label in Finding.RESULTS},
        "section": "reports",
    }
    return _page(request, "web/public/report.html", lang, context)


@cached
def sitrep(request, lang):
    issued = _latest_sitrep()
    context = {"issued": issued, "section": "sitrep"}
    if issued is not None:
        s = sitrep_build.live(audience.audience(PUBLIC), parse_period(issued.period))
        context.update(sitrep_build.context(s, links=False))
        context["kept"] = store.path_of(issued.sha256) is not None
    return _page(request, "web/public/sitrep.html", lang, context)


def sitrep_pdf(request, sha256):
    """The PDF of a situation report issued for the public, as it was issued (its hash is in the record)."""
    found = [i for i in Issued.objects.filter(sha256=sha256) if audience.within(i.audience, PUBLIC)]
    path = store.path_of(sha256) if found else None
    if path is None:
        raise Http404(_("No such issued report here."))
    i = found[0]
    return FileResponse(
        path.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"sitrep-{i.period}-{i.audience}-{i.language}-issued.pdf",
    )


@cached
def record(request, lang):
    return _page(request, "web/public/record.html", lang, {"record": _record(), "section": "record"})


def _bundles() -> Path:
    return Path(settings.DATA_DIR) / "public-bundles"


def _name(size: int, cosigned: int, root: str) -> str:
    """A bundle's file name: the checkpoint it ends at (its size and root, which only this record
    has) and the cosignatures it carries."""
    return f"public-{size}-{cosigned}-{base64.b64decode(root).hex()}.bundle"


def _newest(folder: Path) -> tuple[int, int, Path] | None:
    """The newest bundle in the folder that ends at a checkpoint of this record."""
    found = []
    for path in folder.glob("public-*-*-*.bundle"):
        _prefix, size, cosigned, root = path.stem.split("-")
        found.append((int(size), int(cosigned), root, path))
    for size, cosigned, root, path in sorted(found, reverse=True):
        if Checkpoint.objects.filter(size=size).values_list("root", flat=True).first() == bytes.fromhex(root):
            return size, cosigned, path
    return None


def _export(folder: Path) -> Path:
    fd, part = tempfile.mkstemp(dir=folder, suffix=".part")
    os.close(fd)
    try:
        made = bundle.export(part, audience.audience(PUBLIC))
        root = base64.b64encode(bytes(Checkpoint.objects.get(size=made.size).root)).decode()
        path = folder / _name(made.size, Cosignature.objects.count(), root)
        os.replace(part, path)
    finally:
        if os.path.exists(part):
            os.unlink(part)
    for old in folder.glob("public-*.bundle"):  # keep only the newest
        if old != path:
            old.unlink(missing_ok=True)
    return path


def public_bundle(request):
    """The public bundle of the record at its newest checkpoint: built once per checkpoint and
    cosignature count, then served from the data folder."""
    size, root, cosigned, _later = state()
    folder = _bundles()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / _name(size, cosigned, root)
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        # one export at a time, in every worker (and files are removed only by an export): the crowd
        # after a checkpoint waits for it, then reads it
        with open(folder / "building.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            newest = _newest(folder)
            # one made since the state was read (an export signs the record's newest entries) will do
            path = newest[2] if newest and newest[:2] >= (size, cosigned) else _export(folder)
            handle = path.open("rb")
    return FileResponse(handle, content_type="text/plain; charset=utf-8", as_attachment=True, filename=path.name)
