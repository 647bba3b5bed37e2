"""Every kind of event the record holds has a name people can read on the record's pages."""

from ceasefire.record import log
from ceasefire.web.templatetags.web import EVENT_LABELS


def test_every_projected_event_type_has_a_label():
    assert set(log._projectors) - set(EVENT_LABELS) == set()
    assert set(EVENT_LABELS) - set(log._projectors) == set()
