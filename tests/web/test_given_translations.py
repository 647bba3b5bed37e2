"""A text the author wrote in one language, given later in the other: offered where the reader's
language is missing, shown as a translation and by whom, and only to whom its entry is for."""

import re

import pytest
from django.urls import reverse

from ceasefire.mechanism.models import Decision

pytestmark = pytest.mark.django_db

ENGLISH = "Reopen the coastal road to travellers"


def test_a_delegate_gives_a_decision_in_english_and_every_party_reads_it_as_a_translation(world, clients, events):
    pending = world["pending"]  # written in Arabic only
    meeting = reverse("meeting", args=[world["past"].reference])
    west = clients["west-head"]
    west.post(reverse("set_language"), {"language": "en"})
    page = west.get(meeting).content.decode()
    offer = reverse("translate", args=["decision", pending.id, "text"]) + "?lang=en"
    assert f'href="{offer}"' in page and "Give this text in English" in page

    form = west.get(offer).content.decode()
    assert "فتح الطريق الساحلي" in form  # the original beside the box
    before = events()
    done = west.post(offer, {"lang": "en", "text": ENGLISH})
    assert done.status_code == 302 and done["Location"].endswith(f"#decision-{pending.number}")
    assert events() == before + 1
    assert Decision.objects.get(id=pending.id).text_en == ""  # the author's columns, unchanged

    east = clients["east-head"]
    east.post(reverse("set_language"), {"language": "en"})
    page = east.get(meeting).content.decode()
    card = page[page.index(f'id="decision-{pending.number}"') :]
    assert re.search(
        rf'lang="en" dir="ltr"><p>{ENGLISH}</p></div> <span class="translated">'
        r"\(a translation, given by Western region: entry #\d+\)</span>",
        card,
    )
    assert f'href="{offer}"' not in page  # given already: offered no more

    east.post(reverse("set_language"), {"language": "ar"})
    assert ENGLISH not in east.get(meeting).content.decode()  # an Arabic reader reads the original


def test_observers_read_no_translation_and_are_offered_none(world, clients, actors):
    from ceasefire.translations import commands

    commands.translate(
        actors["west-head"], "decision", world["pending"].id, {"field": "text", "lang": "en", "text": ENGLISH}
    )
    observer = clients["observer"]
    observer.post(reverse("set_language"), {"language": "en"})
    page = observer.get(reverse("meeting", args=[world["past"].reference])).content.decode()
    assert ENGLISH not in page and "Give this text in" not in page
    offer = reverse("translate", args=["decision", world["pending"].id, "text"]) + "?lang=en"
    assert observer.get(offer).status_code == 403


def test_a_refused_post_does_not_show_the_parties_original(world, clients, events):
    """An observer's post is refused, and the page it gets back holds no party-only original."""
    before = events()
    offer = reverse("translate", args=["meeting", world["past"].id, "minutes"]) + "?lang=ar"
    refused = clients["observer"].post(offer, {"lang": "ar", "text": "افتتح"})
    assert refused.status_code == 403 and events() == before
    html = refused.content.decode()
    assert "the monitors and the facilitator give translations" in html
    assert "Opened at 10:00" not in html  # the minutes are the parties' alone
