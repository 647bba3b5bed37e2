"""Exercise reports for the demo: invented, and labelled so in their titles and narratives, in
both languages. They let a new user walk the verification chain on the demo's accounts. Places
are real (the coastal road around Sirte, the Abu Grein–Jufra road of the agreement's item 7);
the events are not."""

import datetime as dt

from ceasefire.incidents import commands as incidents
from ceasefire.mechanism.accounts import actor_for

EXERCISE_EN, EXERCISE_AR = "EXERCISE — ", "تمرين — "
NOTE_EN = " This report is invented for the demo; it describes no real event."
NOTE_AR = " هذا البلاغ مختلق لأغراض العرض التجريبي ولا يصف أي حدث حقيقي."


def _report(days_ago: int, title_en: str, title_ar: str, narrative_en: str, narrative_ar: str, **fields) -> dict:
    day = dt.date.today() - dt.timedelta(days=days_ago)
    return {
        "title_en": EXERCISE_EN + title_en,
        "title_ar": EXERCISE_AR + title_ar,
        "narrative_en": narrative_en + NOTE_EN,
        "narrative_ar": narrative_ar + NOTE_AR,
        "occurred_at": day.isoformat(),
        **fields,
    }


def load(users: dict) -> int:
    """File the exercise reports as the demo's accounts (username -> User); return how many."""
    actors = {name: actor_for(user) for name, user in users.items()}
    facilitator = actors["facilitator"]
    shelling = incidents.file_report(actors["west-member"], _report(
        3, "Shelling reported east of Abu Grein", "بلاغ عن قصف شرق أبوقرين",
        "Residents reported several impacts near the Abu Grein–Jufra road in the early morning.",
        "أفاد سكان بسقوط عدة قذائف قرب طريق أبوقرين–الجفرة في الصباح الباكر.",
        category="shelling", latitude=31.44, longitude=15.27, geo_precision=2,
        place_en="Abu Grein", place_ar="أبوقرين", alleged_party="east", affected_party="west",
    ))
    incidents.file_report(actors["east-member"], _report(
        1, "Convoy seen on the coastal road west of Sirte", "رتل عسكري على الطريق الساحلي غرب سرت",
        "A convoy of about ten armed vehicles was seen moving east on the coastal road.",
        "شوهد رتل من نحو عشر آليات مسلحة يتحرك شرقًا على الطريق الساحلي.",
        category="protected-road", place_en="Coastal road, west of Sirte", place_ar="الطريق الساحلي غرب سرت",
        alleged_party="west", affected_party="east",
    ))
    incidents.triage(facilitator, shelling.id, {"decision": "admissible"})
    incidents.task_team(facilitator, shelling.id, {
        "team": ["west-member", "east-member"],
        "instructions_en": "Visit the site, examine the impacts, interview residents.",
        "instructions_ar": "زيارة الموقع وفحص آثار القذائف ومقابلة السكان.",
    })
    return 2
