"""Listing and filtering 100,000 reports as GET /api/v1/reports does, against the same queries in raw SQL.

    python bench/reports.py [--reports N] [--rounds R] [--queries Q] [--filed F] [--seed S]
                            [--postgres URL] [--data-dir DIR] [--explain] [--time-limit S]

The data. N reports (100,000 by default) made from a fixed seed: categories of the default
typology, alleged parties, statuses spread over the chain (recent reports mostly open, older ones
mostly closed), received from 2020-01-01 to 2026-06-30, coordinates around 28 Libyan places (a
few anywhere in the country's box, a few with a place name only), titles and narratives in
Arabic, English or both. The first F (1,000 by default) are filed through `commands.file_report`
in `log.batch()` blocks, the real path, and its rate is printed: at about 100 reports/s, 100,000
would take a quarter of an hour, so the others are written by `bulk_create` as the projector
writes them (incident, report, its search words, casualties, stage time), and every report filed
through the command is checked against what the bulk writer makes of the same input. Statuses, stage times
and visibility are then set on the report rows directly: the chain's commands for 100,000
reports would take hours, and what is measured is reading.

The queries. For each kind (no filter, status, category, alleged party, date range, a box around
Sirte, free text in Latin and in Arabic, combined filters, text with filters, overdue, a page at
offset 5,000, and an observer's list), Q queries per round, each with its own parameters, in R
rounds, after one warm-up pass. Each query is timed twice, in alternating order:
- the API path: the view of GET /api/v1/reports called as ninja calls it (queries.visible,
  Filters.parse, queries.search, the count, one page of 50), its answer serialised with the API's
  schema and encoded to JSON; and, for a delegate, the same request end to end through Django's
  test client with a bearer token;
- the baseline: the same WHERE, its COUNT(*) and the page (ORDER BY received_at DESC, id DESC
  LIMIT 50 OFFSET ..., with each report's category) in raw SQL through the driver (sqlite3 or
  psycopg) on the same database, rows fetched as tuples.
Both must give the same count and the same page, or the run stops. It prints p50 and p95 of wall
time and of this process's CPU time per kind (SQLite runs in the process, so its CPU time is all
the work and the less disturbed by other load), their ratios, and which kinds miss p95 < 100 ms.
--explain adds each kind's query plans.

SQLite in WAL mode in a temporary folder by default, without ANALYZE (the project never runs
it); with --postgres URL, or a PostgreSQL DATABASE_URL, a database of its own on that server (its
URL's database name is ignored), vacuumed and analysed after loading as autovacuum would, and
dropped afterwards.

The temporary folder is removed at the end; --data-dir keeps the SQLite database there instead,
and reuses it when --reports, --filed and --seed match (migrations added since are applied to it,
a regenerated one is not: empty the folder then). With --postgres, --data-dir keeps the database
on the server instead of dropping it (named after the folder: ceasefire_bench_kept_HASH), its
description in the folder, and reuses it the same way; drop it by hand when done.
"""

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

PAGE = 50
TARGET_MS = 100
START = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
END = dt.datetime(2026, 6, 30, tzinfo=dt.UTC)
TRIPOLI = dt.timezone(dt.timedelta(hours=2))  # Libya's time, all year
LIBYA = (9.3, 19.5, 25.2, 33.2)  # minlon, minlat, maxlon, maxlat
SIRTE = (15.9, 30.7, 17.3, 31.6)  # the box the "bbox" queries move around

# (English, Arabic, lon, lat, controlled by, weight): front-line places weigh more.
PLACES = [
    ("Tripoli", "طرابلس", 13.19, 32.89, "west", 6),
    ("Misrata", "مصراتة", 15.09, 32.38, "west", 4),
    ("Zawiya", "الزاوية", 12.73, 32.76, "west", 2),
    ("Gharyan", "غريان", 13.02, 32.17, "west", 2),
    ("Tarhuna", "ترهونة", 13.63, 32.43, "west", 2),
    ("Zintan", "الزنتان", 12.25, 31.93, "west", 1),
    ("Bani Walid", "بني وليد", 13.98, 31.76, "west", 2),
    ("Abu Qurayn", "أبو قرين", 15.25, 31.45, "west", 6),
    ("Ghadames", "غدامس", 9.50, 30.13, "west", 1),
    ("Ash Shwayrif", "الشويرف", 14.27, 29.99, "west", 1),
    ("Sirte", "سرت", 16.59, 31.21, "east", 10),
    ("Al Qardabiya", "القرضابية", 16.68, 31.08, "east", 5),
    ("Bin Jawad", "بن جواد", 18.07, 30.80, "east", 3),
    ("Hun", "هون", 15.95, 29.13, "east", 4),
    ("Waddan", "ودان", 16.14, 29.16, "east", 3),
    ("Ras Lanuf", "رأس لانوف", 18.57, 30.50, "east", 3),
    ("Es Sider", "السدرة", 18.35, 30.63, "east", 2),
    ("Brega", "البريقة", 19.58, 30.41, "east", 2),
    ("Ajdabiya", "إجدابيا", 20.22, 30.76, "east", 2),
    ("Benghazi", "بنغازي", 20.07, 32.12, "east", 4),
    ("Bayda", "البيضاء", 21.75, 32.76, "east", 1),
    ("Derna", "درنة", 22.64, 32.77, "east", 2),
    ("Tobruk", "طبرق", 23.96, 32.08, "east", 1),
    ("Sabha", "سبها", 14.43, 27.04, "east", 3),
    ("Ubari", "أوباري", 12.78, 26.59, "east", 2),
    ("Murzuq", "مرزق", 13.92, 25.92, "east", 2),
    ("Ghat", "غات", 10.17, 24.96, "east", 1),
    ("Kufra", "الكفرة", 23.31, 24.18, "east", 1),
]
UNITS = {
    "west": [
        ("Brigade 166", "الكتيبة 166"),
        ("Brigade 301", "اللواء 301"),
        ("the Sirte–Jufra operations room", "غرفة عمليات سرت الجفرة"),
    ],
    "east": [
        ("Brigade 128", "اللواء 128"),
        ("the Tariq Ben Ziyad brigade", "لواء طارق بن زياد"),
        ("the Subul al-Salam battalion", "كتيبة سبل السلام"),
    ],
}
CATEGORY_WEIGHTS = {
    "firing": 12,
    "shelling": 10,
    "air-strike": 6,
    "raid": 4,
    "troop-movement": 10,
    "new-position": 6,
    "mine-laying": 2,
    "beyond-lines": 6,
    "foreign-forces": 5,
    "protected-road": 4,
    "killing": 2,
    "abduction": 3,
    "arbitrary-arrest": 4,
    "torture": 1,
    "property-destruction": 2,
    "road-blocked": 4,
    "flights-blocked": 1,
    "aid-blocked": 2,
    "hate-speech": 5,
    "unauthorised-checkpoint": 6,
    "access-denied": 3,
}
FEATURES = [
    ("checkpoint", "نقطة التفتيش"),
    ("airbase", "القاعدة الجوية"),
    ("oil terminal", "ميناء النفط"),
    ("power station", "محطة الكهرباء"),
    ("market", "السوق"),
    ("port", "الميناء"),
    ("bridge", "الجسر"),
    ("water plant", "محطة المياه"),
]
DIRECTIONS = [("north", "شمال"), ("south", "جنوب"), ("east", "شرق"), ("west", "غرب")]
DETAILS = {  # per group: (English, Arabic) with {k} a number and {f} a feature
    "military": [
        ("Witnesses counted {k} rounds landing near the {f}.", "أحصى شهود {k} قذائف سقطت قرب {f}."),
        ("Mortar fire was heard from the direction of the {f}.", "سُمع إطلاق قذائف هاون من جهة {f}."),
        ("A drone was seen circling over the {f} before the strike.", "شوهدت طائرة مسيرة تحوم فوق {f} قبل الضربة."),
        (
            "About {k} armed vehicles moved towards the {f} during the night.",
            "تحركت نحو {k} آليات مسلحة باتجاه {f} خلال الليل.",
        ),
    ],
    "disengagement": [
        (
            "A convoy of {k} vehicles, some carrying heavy weapons, moved along the coastal road.",
            "تحرك رتل من {k} آليات بعضها يحمل أسلحة ثقيلة على الطريق الساحلي.",
        ),
        ("Foreign fighters were seen near the {f}.", "شوهد مقاتلون أجانب قرب {f}."),
        (
            "Heavy weapons were placed {k} km beyond the agreed line.",
            "وُضعت أسلحة ثقيلة على بعد {k} كم خارج الخط المتفق عليه.",
        ),
    ],
    "civilians": [
        ("{k} civilians were taken from their homes near the {f}.", "اقتيد {k} مدنيين من منازلهم قرب {f}."),
        (
            "Families reported that their relatives were held without charge.",
            "أفادت عائلات بأن أقاربها محتجزون دون تهمة.",
        ),
        ("Houses near the {f} were damaged.", "تضررت منازل قرب {f}."),
    ],
    "movement": [
        ("The road to the {f} was closed by armed men for {k} hours.", "أغلق مسلحون الطريق إلى {f} لمدة {k} ساعات."),
        ("An aid convoy was turned back at the {f}.", "أُعيدت قافلة مساعدات من عند {f}."),
    ],
    "provocation": [
        ("A new checkpoint was set up on the road near the {f}.", "أقيمت نقطة تفتيش جديدة على الطريق قرب {f}."),
        ("Speeches calling for attacks were broadcast {k} times.", "بُثت خطابات تدعو إلى الهجوم {k} مرات."),
    ],
    "obstruction": [
        ("The monitoring team was stopped at the {f} and turned back.", "أوقف فريق المراقبة عند {f} وأُعيد."),
        ("Monitors were refused access for {k} hours.", "مُنع المراقبون من الوصول لمدة {k} ساعات."),
    ],
}
CLOSINGS = [
    ("The delegation asks the committee to verify the report.", "يطلب الوفد من اللجنة التحقق من البلاغ."),
    ("Photographs and a video were sent with the report.", "أرسلت صور ومقطع فيديو مع البلاغ."),
    ("No independent confirmation has been received yet.", "لم يرد أي تأكيد مستقل حتى الآن."),
    ("Local elders confirmed the account to the liaison officer.", "أكد أعيان المنطقة الرواية لضابط الاتصال."),
]
RARE = ("Residents of Wadi Zamzam said they heard the explosions.", "قال سكان وادي زمزم إنهم سمعوا الانفجارات.")
LATIN_TERMS = ["Sirte", "checkpoint", "drone", "Wadi Zamzam", "Brigade 128", "oil terminal", "qardabiya", "convoy"]
ARABIC_TERMS = ["سرت", "قصف", "القاعدة الجوية", "وادي زمزم", "اللواء 128", "مقاتلون أجانب", "هون", "نقطة التفتيش"]

OPEN_WEIGHTS = {"received": 2, "inquiry": 3, "tasked": 3, "investigated": 2, "findings": 2, "disputed": 3}
CLOSED_WEIGHTS = {"concluded": 55, "duplicate": 15, "outside_mandate": 15, "disagreement": 15}


class Budget:
    def __init__(self, seconds: float):
        self.deadline = time.monotonic() + seconds

    def check(self, what: str) -> None:
        if time.monotonic() > self.deadline:
            sys.exit(
                f"time limit reached during {what}; try fewer --reports, --rounds or --queries, or a larger --time-limit"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--queries", type=int, default=20, help="queries of each kind per round, each with its own parameters"
    )
    parser.add_argument(
        "--filed", type=int, default=1000, help="reports filed through commands.file_report; the rest by bulk_create"
    )
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument(
        "--postgres", metavar="URL", help="run on this PostgreSQL server (default: DATABASE_URL when it names one)"
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep the database (SQLite: here; PostgreSQL: on the server, described here) and reuse it when --reports, --filed and --seed match",
    )
    parser.add_argument("--explain", action="store_true", help="print the query plans of one query of each kind")
    parser.add_argument("--time-limit", type=float, default=3600, help="seconds; the run stops past it")
    args = parser.parse_args()
    if args.reports < PAGE or args.rounds < 1 or args.queries < 1 or not 0 <= args.filed <= args.reports:
        parser.error(
            f"--reports must be at least {PAGE}, --rounds and --queries at least 1, --filed between 0 and --reports"
        )
    url = args.postgres or (
        os.environ.get("DATABASE_URL") if os.environ.get("DATABASE_URL", "").startswith("postgres") else None
    )

    tmp = Path(args.data_dir).resolve() if args.data_dir else Path(tempfile.mkdtemp(prefix="ceasefire-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        CEASEFIRE_DATA_DIR=str(tmp),
        SECRET_KEY="bench",
        DJANGO_SETTINGS_MODULE="ceasefire.settings",
        ALLOWED_HOSTS="localhost",
    )
    pg_name = None
    if url:
        import dj_database_url

        server = dj_database_url.parse(url)
        if args.data_dir:  # kept between runs, one per folder
            pg_name = f"ceasefire_bench_kept_{hashlib.sha256(str(tmp).encode()).hexdigest()[:10]}"
            if not _pg_admin(server, "SELECT 1 FROM pg_database WHERE datname = %s", [pg_name]):
                (tmp / "reports.json").unlink(missing_ok=True)  # describes a database that is gone
                _pg_admin(server, f'CREATE DATABASE "{pg_name}"')
        else:
            pg_name = f"ceasefire_bench_{uuid.uuid4().hex[:10]}"
            _pg_admin(server, f'CREATE DATABASE "{pg_name}"')
        auth = server["USER"] + (f":{server['PASSWORD']}" if server.get("PASSWORD") else "")
        os.environ["DATABASE_URL"] = (
            f"postgres://{auth}@{server['HOST'] or 'localhost'}:{server['PORT'] or 5432}/{pg_name}"
        )
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'reports.sqlite3'}"
    try:
        run(args, tmp)
    finally:
        from django.db import connections

        connections.close_all()
        if pg_name and not args.data_dir:
            _pg_admin(server, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        if not args.data_dir:
            shutil.rmtree(tmp, ignore_errors=True)  # a quarter of a gigabyte at 100,000 reports


def _pg_admin(server: dict, sql: str, params=None) -> list:
    import psycopg

    with psycopg.connect(
        host=server["HOST"] or "localhost",
        port=server["PORT"] or 5432,
        user=server["USER"],
        password=server.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        cur = conn.execute(sql, params)
        return cur.fetchall() if cur.description else []


# ---------------------------------------------------------------- the data


def reports(n: int, seed: int):
    """The n reports, in the order they were received: (actor key, what file_report is given,
    received at, status, stage since, visibility). The same seed gives the same reports."""
    from ceasefire.incidents import typology

    rng = random.Random(seed)
    names = {code: (en, ar, group) for code, group, en, ar, *_ in typology.DEFAULT}
    codes, cweights = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
    pweights = [p[5] for p in PLACES]
    span = (END - START).total_seconds()
    for i in range(n):
        received = START + dt.timedelta(seconds=int((i + rng.random()) * span / n))
        code = rng.choices(codes, cweights)[0]
        name_en, name_ar, group = names[code]
        place = rng.choices(PLACES, pweights)[0]
        data: dict = {"category": code}
        # Where: near a place mostly; anywhere in the country's box sometimes; a name only, now and then.
        where = rng.random()
        if where < 0.08:
            lon, lat = rng.uniform(LIBYA[0], LIBYA[2]), rng.uniform(LIBYA[1], LIBYA[3])
            place_en, place_ar = "", ""
        else:
            lon = min(max(place[2] + rng.gauss(0, 0.08), LIBYA[0]), LIBYA[2])
            lat = min(max(place[3] + rng.gauss(0, 0.08), LIBYA[1]), LIBYA[3])
            place_en, place_ar = place[0], place[1]
        if where > 0.92:
            data.update(place_en=place_en, place_ar=place_ar)
        else:
            data.update(
                latitude=round(lat, 5), longitude=round(lon, 5), geo_precision=rng.choices([1, 2, 3], [5, 3, 1])[0]
            )
            if place_en:
                data.update(place_en=place_en, place_ar=place_ar)
        data["controlled_by"] = place[4]
        # When: up to ten days before it was received; the day only, or the time with Libya's offset.
        occurred = received - dt.timedelta(minutes=rng.randrange(0, 14400))
        if rng.random() < 0.4:
            data["occurred_at"] = occurred.date().isoformat()
        else:
            data["occurred_at"] = occurred.astimezone(TRIPOLI).strftime("%Y-%m-%dT%H:%M+02:00")
        data["time_precision"] = rng.choices([1, 2, 3], [17, 2, 1])[0]
        # Who: a party's delegation, a monitor, or the facilitator for the hotline, the media, an NGO.
        who = rng.choices(["west-member", "east-member", "monitor", "facilitator"], [35, 35, 15, 15])[0]
        alleged = {"west-member": "east", "east-member": "west"}.get(who) or rng.choice(["west", "east"])
        if rng.random() < 0.15:
            alleged = None
        unit_en, unit_ar = (
            rng.choice(UNITS[alleged]) if alleged else ("an unidentified armed group", "مجموعة مسلحة مجهولة")
        )
        data["alleged_party"] = alleged
        data["affected_party"] = {"west": "east", "east": "west"}.get(alleged)
        if alleged and rng.random() < 0.6:
            data["alleged_unit"] = unit_en if rng.random() < 0.5 else unit_ar
        if who == "facilitator":
            data["source_type"] = rng.choice(["media", "ngo", "public"])
            data["source_en"] = {
                "media": "a local radio station",
                "ngo": "a human rights group",
                "public": "a caller to the hotline",
            }[data["source_type"]]
        # What: a title and a narrative, in Arabic, English or both.
        at = place_en or "the desert"
        at_ar = place_ar or "الصحراء"
        witness = rng.choice(
            [
                ("A patrol", "دورية"),
                ("Residents", "سكان"),
                ("A liaison officer", "ضابط اتصال"),
                ("The local council", "المجلس المحلي"),
            ]
        )
        km, way, minutes = rng.randint(1, 30), rng.choice(DIRECTIONS), rng.randint(5, 180)
        local = occurred.astimezone(TRIPOLI)
        sentences = [
            (
                f"{witness[0]} reported {name_en.lower()} about {km} km {way[0]} of {at}.",
                f"أفاد {witness[1]} بحدوث {name_ar} على بعد نحو {km} كم {way[1]} {at_ar}.",
            ),
            (
                f"It began at around {local:%H:%M} local time and lasted {minutes} minutes.",
                f"بدأ ذلك نحو الساعة {local:%H:%M} بالتوقيت المحلي واستمر {minutes} دقيقة.",
            ),
        ]
        for _ in range(rng.randint(1, 3)):
            en, ar = rng.choice(DETAILS[group])
            f = rng.choice(FEATURES)
            k = rng.randint(2, 40)
            sentences.append((en.format(k=k, f=f[0]), ar.format(k=k, f=f[1])))
        if alleged:
            sentences.append(
                (f"The report alleges that {unit_en} was responsible.", f"ويزعم البلاغ أن {unit_ar} مسؤول عن ذلك.")
            )
        if rng.random() < 0.04:
            sentences.append(RARE)
        sentences.append(rng.choice(CLOSINGS))
        lang = rng.choices(["both", "ar", "en"], [55, 30, 15])[0]
        if lang != "ar":
            data["title_en"] = f"{name_en} near {at}"
            data["narrative_en"] = " ".join(s[0] for s in sentences)
        if lang != "en":
            data["title_ar"] = f"{name_ar} قرب {at_ar}"
            data["narrative_ar"] = " ".join(s[1] for s in sentences)
        if rng.random() < 0.3:
            data["casualties"] = [
                {
                    "kind": rng.choice(["killed", "injured"]),
                    "group": rng.choice(["civilian", "military", "unknown"]),
                    "count": rng.randint(1, 12),
                    "source": rng.choice(["local clinic", "the delegation", "a hospital in the area"]),
                }
            ]
        # Where it stands now: recent reports mostly open, older ones mostly closed.
        age = (END - received).days
        if rng.random() < (0.7 if age < 60 else 0.1):
            status = rng.choices(list(OPEN_WEIGHTS), list(OPEN_WEIGHTS.values()))[0]
            since = min(received + dt.timedelta(hours=rng.randrange(0, 24 * 30)), END)
        else:
            status = rng.choices(list(CLOSED_WEIGHTS), list(CLOSED_WEIGHTS.values()))[0]
            since = min(received + dt.timedelta(hours=rng.randrange(24, 24 * 150)), END)
        visibility = "parties"
        if status in CLOSED_WEIGHTS:
            visibility = rng.choices(["parties", "observers", "public"], [70, 15, 15])[0]
        yield who, data, received, status, since, visibility


def fill(args, budget: Budget) -> dict:
    """Write the reports: the first --filed through file_report, the others by bulk_create."""
    from django.db import connection, transaction

    from ceasefire.incidents import commands
    from ceasefire.incidents.models import Casualty, Incident, Report, SearchWord, StageTime
    from ceasefire.record import log
    from ceasefire.record.log import Actor
    from ceasefire.record.models import Event

    actors = {
        "west-member": Actor("west-member", party="west", role="member"),
        "east-member": Actor("east-member", party="east", role="member"),
        "monitor": Actor("monitor", role="monitor"),
        "facilitator": Actor("facilitator", role="facilitator"),
    }
    numbers: dict[int, int] = {}
    filed_rate = None
    states = []  # (id, status, since, visibility) of the filed reports
    clock = log._clock
    specs = reports(args.reports, args.seed)
    began = time.perf_counter()
    try:
        done = 0
        while done < args.filed:
            with log.batch():
                for who, data, received, status, since, visibility in _take(specs, min(1000, args.filed - done)):
                    log._clock = lambda received=received: received
                    r = commands.file_report(actors[who], data)
                    numbers[r.year] = r.number
                    expected = _rows(actors[who], data, received, r.id, r.number)[1]
                    got = {f.attname: getattr(r, f.attname) for f in Report._meta.concrete_fields}
                    want = {f.attname: getattr(expected, f.attname) for f in Report._meta.concrete_fields}
                    assert got == want, {k: (got[k], want[k]) for k in got if got[k] != want[k]}
                    states.append((r.id, status, since, visibility))
                    done += 1
            budget.check("filing")
            print(f"filed {done:,} of {args.filed:,} through file_report", file=sys.stderr)
    finally:
        log._clock = clock
    if args.filed:
        filed_rate = args.filed / (time.perf_counter() - began)
    with transaction.atomic():
        for rid, status, since, visibility in states:
            Report.objects.filter(id=rid).update(status=status, stage_since=since, visibility=visibility)

    began = time.perf_counter()
    next_id = (Event.objects.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    bulk = args.reports - args.filed
    done = 0
    while done < bulk:
        incidents, rows, casualties, stages = [], [], [], []
        for who, data, received, status, since, visibility in _take(specs, min(5000, bulk - done)):
            numbers[received.year] = numbers.get(received.year, 0) + 1
            incident, report, cas = _rows(actors[who], data, received, next_id, numbers[received.year])
            report.status, report.stage_since, report.visibility = status, since, visibility
            incidents.append(incident)
            rows.append(report)
            casualties += cas
            stages.append(StageTime(report_id=next_id, stage="received", entered_at=received, entered_by=who))
            next_id += 1
            done += 1
        with transaction.atomic():
            Incident.objects.bulk_create(incidents)
            Report.objects.bulk_create(rows)
            words = {w.word for r in rows for w in SearchWord.of(r.search_text)}
            SearchWord.objects.bulk_create((SearchWord(word=w) for w in sorted(words)), ignore_conflicts=True)
            Casualty.objects.bulk_create(casualties)
            StageTime.objects.bulk_create(stages)
        budget.check("bulk writing")
        print(f"wrote {done:,} of {bulk:,} by bulk_create", file=sys.stderr)
    bulk_rate = bulk / (time.perf_counter() - began) if bulk else None
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("VACUUM ANALYZE")  # what autovacuum does after a load: statistics, visibility map
    return {"filed": args.filed, "filed_rate": filed_rate, "bulk": bulk, "bulk_rate": bulk_rate}


def _take(it, n):
    for _ in range(n):
        yield next(it)


def _rows(actor, data: dict, received: dt.datetime, rid: int, number: int):
    """The incident, report and casualty rows that file_report's event projects, without the event:
    the payload as commands._file builds it, the rows as projections._filed writes them."""
    from ceasefire.incidents.models import Casualty, Incident, Report, searchable
    from ceasefire.places import grid
    from ceasefire.record.log import format_time, parse_time

    text = data["occurred_at"]
    if len(text) == 10:
        occurred, time_known = dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC), False
    else:
        occurred, time_known = dt.datetime.fromisoformat(text).astimezone(dt.UTC), True
    if actor.role == "member":
        source_type, source_party = "delegation", actor.party
    elif actor.role == "monitor":
        source_type, source_party = "un_monitor", None
    else:
        source_type, source_party = data["source_type"], None
    incident = Incident(
        id=rid,
        year=received.year,
        number=number,
        title_ar=data.get("title_ar", ""),
        title_en=data.get("title_en", ""),
        opened_at=received,
    )
    report = Report(
        id=rid,
        year=received.year,
        number=number,
        incident_id=rid,
        status="received",
        stage_since=received,
        submitted_by=actor.username,
        received_at=received,
        occurred_at=parse_time(format_time(occurred)),
        category_id=data["category"],
        source_party_id=source_party,
        controlled_by_id=data.get("controlled_by"),
        alleged_party_id=data.get("alleged_party"),
        affected_party_id=data.get("affected_party"),
        related_report_id=None,
        title_ar=data.get("title_ar", ""),
        title_en=data.get("title_en", ""),
        source_type=source_type,
        source_ar=data.get("source_ar", ""),
        source_en=data.get("source_en", ""),
        time_known=time_known,
        time_precision=data["time_precision"],
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        geo_precision=data.get("geo_precision"),
        place_ar=data.get("place_ar", ""),
        place_en=data.get("place_en", ""),
        alleged_unit=data.get("alleged_unit", ""),
        narrative_ar=data.get("narrative_ar", ""),
        narrative_en=data.get("narrative_en", ""),
        search_text=searchable(data),
        map_cell=grid.cell(data.get("latitude"), data.get("longitude")),
    )
    casualties = [Casualty(report_id=rid, **c) for c in data.get("casualties", [])]
    return incident, report, casualties


# ---------------------------------------------------------------- the queries


def kinds(rng: random.Random) -> dict:
    """Query kind -> (reader, a function making one query string's parameters)."""
    from ceasefire.incidents import chain, typology

    codes = [c[0] for c in typology.DEFAULT]

    def window(days=None):
        days = days or rng.choice([7, 30, 90, 365])
        start = START.date() + dt.timedelta(days=rng.randrange((END - START).days - days))
        return {"occurred_from": start.isoformat(), "occurred_to": (start + dt.timedelta(days=days)).isoformat()}

    def sirte():
        dx, dy, grow = rng.uniform(-0.2, 0.2), rng.uniform(-0.2, 0.2), rng.uniform(0.7, 1.3)
        cx, cy = (SIRTE[0] + SIRTE[2]) / 2 + dx, (SIRTE[1] + SIRTE[3]) / 2 + dy
        w, h = (SIRTE[2] - SIRTE[0]) * grow / 2, (SIRTE[3] - SIRTE[1]) * grow / 2
        return {"bbox": f"{cx - w:.3f},{cy - h:.3f},{cx + w:.3f},{cy + h:.3f}"}

    party = lambda: rng.choice(["west", "east"])  # noqa: E731
    return {
        "no filter": ("delegate", lambda: {}),
        "status": ("delegate", lambda: {"status": rng.choice(chain.STATUSES)}),
        "category": ("delegate", lambda: {"category": rng.choice(codes)}),
        "alleged party": ("delegate", lambda: {"alleged_party": party()}),
        "date range": ("delegate", window),
        "bbox (Sirte)": ("delegate", sirte),
        "text, Latin": ("delegate", lambda: {"q": rng.choice(LATIN_TERMS)}),
        "text, Arabic": ("delegate", lambda: {"q": rng.choice(ARABIC_TERMS)}),
        "combined": (
            "delegate",
            lambda: {
                "status": rng.choice(chain.STATUSES),
                "alleged_party": party(),
                **window(365),
                **({"category": rng.choice(codes)} if rng.random() < 0.5 else {}),
            },
        ),
        "text + filters": (
            "delegate",
            lambda: {
                "q": rng.choice(LATIN_TERMS + ARABIC_TERMS),
                "status": rng.choice(chain.STATUSES),
                "alleged_party": party(),
            },
        ),
        "overdue": (
            "delegate",
            lambda: {"overdue": "true", **({"alleged_party": party()} if rng.random() < 0.5 else {})},
        ),
        "deep page": ("delegate", lambda: {"offset": str(5000 + PAGE * rng.randrange(20))}),
        "observer": (
            "observer",
            lambda: {"status": rng.choice(["concluded", "disagreement"])} if rng.random() < 0.5 else {},
        ),
    }


def listing(actor, params: dict):
    """The reader's reports with the list's filters, as the API asks them."""
    from ceasefire.incidents import queries

    qs = queries.visible(actor).select_related("category")  # the list shows each category's name
    return queries.search(qs, queries.Filters.parse(params), dt.datetime.now(dt.UTC))


def list_view():
    """The view behind GET /api/v1/reports, when the API has it: a plain function, which ninja
    calls with the query string parsed and the caller in request.auth."""
    try:
        from ceasefire.api.routers.reports import reports
    except ImportError:
        return None
    return reports


def api_path(view, actor, params: dict, schema):
    """What GET /api/v1/reports does, short of HTTP: the view (or, without one, the same calls:
    visible, Filters.parse, search, count, one page), then the answer serialised with the list's
    schema as ninja does it, and encoded to JSON."""
    from types import SimpleNamespace

    from ninja.responses import NinjaJSONEncoder

    request = SimpleNamespace(auth=actor)
    offset = int(params.get("offset") or 0)
    if view is not None:
        args = {
            k: params.get(k)
            for k in ("status", "category", "alleged_party", "occurred_from", "occurred_to", "bbox", "q")
        }
        page = view(request, **args, overdue=bool(params.get("overdue")), limit=PAGE, offset=offset)
    else:
        qs = listing(actor, params)
        page = {"count": qs.count(), "limit": PAGE, "offset": offset, "items": list(qs[offset : offset + PAGE])}
    answer = schema.model_validate(page, context={"request": request}).model_dump()
    body = json.dumps(answer, cls=NinjaJSONEncoder, ensure_ascii=False)
    return page["count"], [r.id for r in page["items"]], len(body)


def connection_quote(name: str) -> str:
    from django.db import connection

    return connection.ops.quote_name(name)


class Raw:
    """The same queries in raw SQL, through the driver, on the same database."""

    def __init__(self, vendor: str, columns: list[str], connect):
        self.vendor, self.columns, self.conn = vendor, columns, connect()
        self.p = "?" if vendor == "sqlite" else "%s"
        self.id_index = columns.index(connection_quote("id"))

    def _time(self, t: dt.datetime):
        # Django keeps SQLite times as text in UTC, "YYYY-MM-DD HH:MM:SS[.ffffff]"
        return str(t.astimezone(dt.UTC).replace(tzinfo=None)) if self.vendor == "sqlite" else t

    def where(self, reader: str, params: dict) -> tuple[str, list]:
        from ceasefire.incidents import chain

        p, clauses, args = self.p, [], []
        if reader == "observer":
            clauses.append(f"visibility IN ({p}, {p})")
            args += ["observers", "public"]
        for key, column in (("status", "status"), ("category", "category_id"), ("alleged_party", "alleged_party_id")):
            if params.get(key):
                clauses.append(f"{column} = {p}")
                args.append(params[key])
        if params.get("occurred_from"):
            clauses.append(f"occurred_at >= {p}")
            args.append(self._time(dt.datetime.fromisoformat(params["occurred_from"]).replace(tzinfo=dt.UTC)))
        if params.get("occurred_to"):
            clauses.append(f"occurred_at < {p}")
            args.append(
                self._time(
                    dt.datetime.fromisoformat(params["occurred_to"]).replace(tzinfo=dt.UTC) + dt.timedelta(days=1)
                )
            )
        if params.get("bbox"):
            minlon, minlat, maxlon, maxlat = (float(x) for x in params["bbox"].split(","))
            clauses.append(f"latitude >= {p} AND latitude <= {p} AND longitude >= {p} AND longitude <= {p}")
            args += [minlat, maxlat, minlon, maxlon]
        if params.get("q"):
            # The normalised column and what a search looks for in it (the query, and the
            # gazetteer's other spellings of a place it names), each as a plain LIKE: every row read.
            from ceasefire.places.gazetteer import search_terms

            terms = search_terms(params["q"])
            clauses.append("(" + " OR ".join(f"search_text LIKE {p}" for _ in terms) + ")")
            args += [f"%{t}%" for t in terms]
        if params.get("overdue"):
            now = dt.datetime.now(dt.UTC)
            parts = []
            for stage, days in chain.TARGET_DAYS.items():
                parts.append(f"(status = {p} AND stage_since < {p})")
                args += [stage, self._time(now - dt.timedelta(days=days))]
            clauses.append("(" + " OR ".join(parts) + ")")
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), args

    def sql(self, reader: str, params: dict) -> tuple[str, str, list, list]:
        """The count, and the page with each report's category (the list shows its name)."""
        where, args = self.where(reader, params)
        count = f"SELECT COUNT(*) FROM incidents_report{where}"
        page = (
            f"SELECT {', '.join(self.columns)} FROM incidents_report JOIN incidents_category ON category_id = code{where} "
            f"ORDER BY received_at DESC, id DESC LIMIT {self.p} OFFSET {self.p}"
        )
        return count, page, args, [*args, PAGE, int(params.get("offset") or 0)]

    def run(self, reader: str, params: dict):
        count_sql, page_sql, args, page_args = self.sql(reader, params)
        cur = self.conn.cursor()
        cur.execute(count_sql, args)
        count = cur.fetchone()[0]
        cur.execute(page_sql, page_args)
        rows = cur.fetchall()
        return count, [r[self.id_index] for r in rows]

    def explain(self, reader: str, params: dict) -> list[str]:
        count_sql, page_sql, args, page_args = self.sql(reader, params)
        prefix = "EXPLAIN QUERY PLAN " if self.vendor == "sqlite" else "EXPLAIN "
        out = []
        for name, sql, a in (("count", count_sql, args), ("page", page_sql, page_args)):
            cur = self.conn.cursor()
            cur.execute(prefix + sql, a)
            out.append(
                f"    {name}, raw: "
                + " | ".join(str(r[-1] if self.vendor == "sqlite" else r[0]).strip() for r in cur.fetchall())
            )
        return out


def list_schema():
    """The list's answer: the API's own schema when it has one, else the same fields here."""
    from ninja import Schema

    from ceasefire.api import schemas

    if hasattr(schemas, "ReportsOut"):
        return schemas.ReportsOut, "ceasefire.api.schemas.ReportsOut"

    class ReportSummary(Schema):
        id: int
        number: str
        title_ar: str
        title_en: str
        category: str
        category_name: str
        status: str
        visibility: str
        received_at: dt.datetime
        occurred_at: dt.datetime
        time_known: bool
        latitude: float | None
        longitude: float | None
        place_ar: str
        place_en: str
        alleged_party: str | None
        incident: int
        stage_since: dt.datetime

        @staticmethod
        def resolve_number(obj):
            return obj.reference

        @staticmethod
        def resolve_category(obj):
            return obj.category_id

        @staticmethod
        def resolve_category_name(obj):
            return obj.category.name_en or obj.category.name_ar

        @staticmethod
        def resolve_alleged_party(obj):
            return obj.alleged_party_id

        @staticmethod
        def resolve_incident(obj):
            return obj.incident_id

    class ReportsOut(Schema):
        count: int
        limit: int
        offset: int
        items: list[ReportSummary]

    return ReportsOut, "the list's fields, defined in the benchmark (no ReportsOut in ceasefire.api.schemas)"


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


def run(args, tmp: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from ceasefire.api.tokens import create_token
    from ceasefire.incidents import commands
    from ceasefire.incidents.models import Report
    from ceasefire.mechanism import commands as mechanism
    from ceasefire.mechanism.accounts import create_account
    from ceasefire.record.log import Actor

    budget = Budget(args.time_limit)
    marker = tmp / "reports.json"
    wanted = {"reports": args.reports, "filed": args.filed, "seed": args.seed}
    reuse = marker.exists() and json.loads(marker.read_text()).get("made") == wanted
    call_command("migrate", verbosity=0)
    facilitator = Actor("facilitator", role="facilitator")
    if reuse:
        made = json.loads(marker.read_text())
        if connection.vendor == "postgresql":
            with connection.cursor() as c:
                c.execute("ANALYZE")  # statistics for the indexes a migration may have added since
    else:
        if Report.objects.exists():
            sys.exit(
                f"{tmp} holds another benchmark's database; remove it (or the PostgreSQL database it describes) or choose another --data-dir"
            )
        mechanism.establish(
            facilitator,
            {
                "name": "Bench",
                "parties": [{"code": "west", "name": "W", "seats": 5}, {"code": "east", "name": "E", "seats": 5}],
            },
        )
        commands.adopt_default_typology(facilitator)
        create_account("west-member", None, "member", "west")
        create_account("observer", None, "observer")
        made = {"made": wanted, **fill(args, budget)}
        if args.data_dir:
            marker.write_text(json.dumps(made))
    total = Report.objects.count()
    assert total == args.reports, (total, args.reports)

    with connection.cursor() as c:
        if connection.vendor == "sqlite":
            c.execute("SELECT sqlite_version()")
            engine = f"SQLite {c.fetchone()[0]} (WAL)"
            c.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'incidents_report' ORDER BY name"
            )
            indexes = [r[0] for r in c.fetchall()]
            c.execute("PRAGMA page_count")
            pages = c.fetchone()[0]
            c.execute("PRAGMA page_size")
            size = pages * c.fetchone()[0]
        else:
            c.execute("SHOW server_version")
            engine = f"PostgreSQL {c.fetchone()[0]}"
            c.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'incidents_report' ORDER BY indexname")
            indexes = [r[0] for r in c.fetchall()]
            c.execute("SELECT pg_database_size(current_database())")
            size = c.fetchone()[0]

    from ceasefire.incidents.models import Category

    columns = [connection.ops.quote_name(f.column) for model in (Report, Category) for f in model._meta.concrete_fields]
    if connection.vendor == "sqlite":
        raw = Raw("sqlite", columns, lambda: sqlite3.connect(connection.settings_dict["NAME"]))
    else:
        import psycopg

        s = connection.settings_dict
        raw = Raw(
            "postgresql",
            columns,
            lambda: psycopg.connect(
                host=s["HOST"] or "localhost",
                port=s["PORT"] or 5432,
                user=s["USER"],
                password=s["PASSWORD"] or None,
                dbname=s["NAME"],
                autocommit=True,
            ),
        )

    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="west-member")
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {create_token(user, 'bench')}")
    e2e = client.get("/api/v1/reports", {"limit": PAGE}).status_code == 200
    readers = {
        "delegate": Actor("west-member", party="west", role="member"),
        "observer": Actor("observer", role="observer"),
    }
    schema, schema_name = list_schema()
    view = list_view()

    rng = random.Random(args.seed + 1)
    plan = kinds(rng)
    times = {k: {"api": [], "raw": [], "api_cpu": [], "raw_cpu": [], "http": [], "rows": []} for k in plan}

    def once(kind: str, record: bool, flip: bool) -> None:
        reader, make = plan[kind]
        params = make()
        actor = readers[reader]
        order = ("raw", "api") if flip else ("api", "raw")
        answers = {}
        for which in order:
            wall, cpu = time.perf_counter(), time.process_time()
            if which == "api":
                count, ids, _size = api_path(view, actor, params, schema)
            else:
                count, ids = raw.run(reader, params)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            answers[which] = (count, ids)
            if record:
                times[kind][which].append(wall * 1000)
                times[kind][f"{which}_cpu"].append(cpu * 1000)
        if answers["api"] != answers["raw"]:
            sys.exit(
                f"{kind} {params}: the API path and raw SQL disagree: {answers['api'][0]} against {answers['raw'][0]} rows"
            )
        if e2e and reader == "delegate":
            query = {"limit": PAGE, **params}
            wall = time.perf_counter()
            response = client.get("/api/v1/reports", query)
            wall = time.perf_counter() - wall
            if response.status_code != 200 or response.json()["count"] != answers["raw"][0]:
                sys.exit(f"GET /api/v1/reports {query}: {response.status_code} {response.content[:300]!r}")
            if record:
                times[kind]["http"].append(wall * 1000)
        if record:
            times[kind]["rows"].append(answers["raw"][0])

    load_before = os.getloadavg()[0]
    for kind in plan:  # warm-up: a running server's cache is warm
        once(kind, False, False)
    for r in range(args.rounds):
        for kind in plan:
            for q in range(args.queries):
                once(kind, True, q % 2 == 1)
            budget.check(f"round {r + 1}, {kind}")
        print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)

    print(
        f"# bench/reports.py: {engine}, Python {platform.python_version()}, Django {django.get_version()}; "
        f"load average {load_before:.1f} before the queries, {os.getloadavg()[0]:.1f} after ({os.cpu_count()} CPUs)"
    )
    fr, br = made.get("filed_rate"), made.get("bulk_rate")
    print(
        f"# {total:,} reports (seed {args.seed}): {made['filed']:,} filed through commands.file_report in log.batch() blocks"
        + (f" at {fr:,.0f} reports/s" if fr else "")
        + f", {made['bulk']:,} written by bulk_create as the projector writes them"
        + (f" at {br:,.0f} reports/s" if br else "")
        + ("; reused from --data-dir" if reuse else "")
    )
    print(f"# database {size / 1e6:,.0f} MB; the report table's indexes: {', '.join(indexes)}")
    print(
        f"# API path: {'the view of GET /api/v1/reports' if view else 'visible, Filters.parse, search, count, a page (no view yet)'}, serialised with {schema_name}; pages of {PAGE}; {args.rounds} rounds x {args.queries} queries per kind, each with its own parameters, after a warm-up pass"
    )
    print(
        "# ms of wall time [ms of this process's CPU time]; raw SQL: COUNT(*) and the page in SQL through the driver; HTTP: the test client with a bearer token"
    )
    head = f"{'query':<15} {'rows (median)':>13} | {'API path p50':>12} {'p95':>15} | {'raw SQL p50':>11} {'p95':>15} | {'ratio p50':>9} {'p95':>5}"
    if e2e:
        head += f" | {'HTTP p50':>8} {'p95':>7}"
    print(head)
    misses = []
    for kind, t in times.items():
        api50, api95, raw50, raw95 = pct(t["api"], 50), pct(t["api"], 95), pct(t["raw"], 50), pct(t["raw"], 95)
        line = (
            f"{kind:<15} {statistics.median(t['rows']):>13,.0f} | {api50:>12.1f} {api95:>6.1f} [{pct(t['api_cpu'], 95):>6.1f}] | "
            f"{raw50:>11.1f} {raw95:>6.1f} [{pct(t['raw_cpu'], 95):>6.1f}] | {api50 / raw50:>9.2f} {api95 / raw95:>5.2f}"
        )
        if e2e and t["http"]:
            line += f" | {pct(t['http'], 50):>8.1f} {pct(t['http'], 95):>7.1f}"
            if pct(t["http"], 95) >= TARGET_MS:
                misses.append(f"{kind} (HTTP)")
        print(line)
        if api95 >= TARGET_MS:
            misses.append(kind)
        if args.explain:
            reader, make = kinds(random.Random(args.seed + 2))[kind]
            params = make()
            offset = int(params.get("offset") or 0)
            orm = listing(readers[reader], params)[offset : offset + PAGE].explain()
            if connection.vendor == "sqlite":
                orm = " | ".join(step.split(" ", 3)[-1] for step in orm.splitlines())
            else:
                orm = " | ".join(step.strip() for step in orm.splitlines())
            print(f"    {params}\n    page, as queries.search builds it: {orm}")
            print("\n".join(raw.explain(reader, params)))
    if not e2e:
        print("# end to end: GET /api/v1/reports is not routed yet; not measured")
    print(
        f"# target p95 < {TARGET_MS} ms: " + ("met by every kind" if not misses else "missed by " + ", ".join(misses))
    )


if __name__ == "__main__":
    main()
