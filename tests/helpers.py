from contextlib import contextmanager

import pytest

from ceasefire.record.models import Event, Head


@contextmanager
def refused(error, field=None):
    """The block raises `error` (naming `field`, when given) and leaves the record as it was."""
    before = (Event.objects.count(), Head.objects.get(id=1).size)
    with pytest.raises(error) as caught:
        yield caught
    if field is not None:
        assert caught.value.field == field, caught.value
    assert (Event.objects.count(), Head.objects.get(id=1).size) == before
