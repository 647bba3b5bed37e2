"""`ceasefire replay --check` reproduces the translations after a random history of texts given in
their other language, by whoever tried (the commands refusing what they must)."""

import collections
import random

from ceasefire.errors import CommandError
from ceasefire.record import replay
from ceasefire.record.models import Event, Head
from ceasefire.translations import commands
from ceasefire.translations.models import Translation
from ceasefire.translations.subjects import SUBJECTS
from tests import history
from tests.conftest import ROLES

TEXTS = {"ar": ["ترجمة النص إلى العربية", ""], "en": ["The text in English", "نص"]}


def test_replay_reproduces_the_translations(actors):
    rng = random.Random(17)
    history.run(rng, actors, steps=120)
    accepted = refused = 0
    for _ in range(120):
        subject = rng.choice(list(SUBJECTS) + ["member"])
        model = SUBJECTS[subject].model if subject in SUBJECTS else None
        ids = list(model.objects.values_list("pk", flat=True)) if model else [1]
        field = rng.choice(list(SUBJECTS[subject].fields) if model else ["title"])
        lang = rng.choice(["ar", "en", "fr"])
        try:
            commands.translate(
                actors[rng.choice(sorted(ROLES))],
                subject,
                rng.choice(ids or [424242]),
                {"field": field, "lang": lang, "text": rng.choice(TEXTS.get(lang, ["x"]))},
            )
            accepted += 1
        except CommandError:
            refused += 1
    assert accepted > 5 and refused > 20, (accepted, refused)
    types = collections.Counter(Event.objects.values_list("type", flat=True))
    assert types["text.translated"] == accepted == Translation.objects.count()
    result = replay.check(progress=None)
    assert result.events == Event.objects.count() == Head.objects.get(id=1).size
    assert result.ok, result.difference
