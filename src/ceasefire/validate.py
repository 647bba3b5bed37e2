"""Checks shared by every command: each failure names the field at fault."""

import datetime as dt
import re
import unicodedata
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils.translation import gettext as _

from .errors import CommandError, Invalid

_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_BIDI_OVERRIDES = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Dates the committee's record can hold: wide enough for any agreement, narrow enough that
# arithmetic on them (deadlines counted in months) never leaves the calendar.
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


# The errors every_field() is gathering, when it is.
_gathered: ContextVar[list | None] = ContextVar("ceasefire_gathered_errors", default=None)


def refuse(message, field: str | None, fallback=None):
    """Raise Invalid(message, field); inside every_field(), note it and go on with `fallback`."""
    gathered = _gathered.get()
    if gathered is None:
        raise Invalid(message, field)
    gathered.append((field, message))
    return fallback


@contextmanager
def every_field():
    """Check every field of an input before refusing it, so that a form says at once all that is
    wrong with it rather than one thing per submit. Inside, a check that fails (through refuse())
    notes its error and gives a stand-in value so that the next field is checked too; on leaving,
    one Invalid names every field at fault. A rule that cannot go on (an Invalid raised, or a
    stand-in it cannot use) ends the checking there: what was gathered is still said. Nothing
    reaches the record from inside: the command appends after the block."""
    gathered: list = []
    token = _gathered.set(gathered)
    try:
        yield
    except Invalid as e:
        gathered.extend(e.errors)
    except CommandError:
        raise  # not allowed, not found, not now: said alone, before any field's error
    except Exception:
        if not gathered:
            raise
        # else a stand-in value broke a later rule: the errors gathered are what is wrong
    finally:
        _gathered.reset(token)
    if gathered:
        raise Invalid.every(gathered)


def text(value, field: str, *, max_length: int = 2000, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        return refuse(_("must be text"), field, "")
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()  # browsers send CRLF
    if any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t" for c in value):
        return refuse(_("contains control characters"), field, "")
    if _BIDI_OVERRIDES.search(value):
        # Embeddings, overrides and isolates can make a record display other than it reads.
        return refuse(_("contains invisible direction-control characters"), field, "")
    if required and not value:
        return refuse(_("is required"), field, "")
    if len(value) > max_length:
        return refuse(_("is longer than %(n)d characters") % {"n": max_length}, field, "")
    return value


def written_in(value: str, lang: str) -> bool:
    """Whether a text is in `lang` ("ar" or "en"): it has letters, more of that script's."""
    letters = _ARABIC if lang == "ar" else _LATIN
    return bool(letters.search(value)) and script(value) == lang


def script(value: str) -> str:
    """'ar' when a text has more Arabic letters than Latin ones, else 'en'."""
    return "ar" if len(_ARABIC.findall(value)) > len(_LATIN.findall(value)) else "en"


def bilingual(data: dict, field: str, *, max_length: int = 2000, required: bool = False, prefix: str = "") -> dict:
    """A text given in Arabic, English or both: `field_ar` / `field_en`, or `field` in either script.

    Returns {"field_ar": ..., "field_en": ...}; errors name `prefix + field`.
    """
    keys = (f"{field}_ar", f"{field}_en", field)
    ar = text(data.get(f"{field}_ar"), f"{prefix}{field}_ar", max_length=max_length)
    en = text(data.get(f"{field}_en"), f"{prefix}{field}_en", max_length=max_length)
    either = text(data.get(field), f"{prefix}{field}", max_length=max_length)
    if either:
        if script(either) == "ar":
            ar = ar or either
        else:
            en = en or either
    given = any(not isinstance(data.get(k), str) or data.get(k).strip() for k in keys if data.get(k) is not None)
    if required and not (ar or en) and not given:  # a text given but refused is not a text missing
        refuse(_("is required, in Arabic or in English"), f"{prefix}{field}")
    return {f"{field}_ar": ar, f"{field}_en": en}


def date(value, field: str, *, required: bool = False) -> dt.date | None:
    if value in (None, ""):
        if required:
            return refuse(_("is required"), field, None)
        return None
    if isinstance(value, dt.datetime):
        return refuse(_("must be a date (YYYY-MM-DD), not a time"), field, None)
    parsed = None
    if isinstance(value, dt.date):
        parsed = value
    elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            parsed = dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    if parsed is None:
        return refuse(_("must be a date written YYYY-MM-DD"), field, None)
    if not EARLIEST <= parsed <= LATEST:
        return refuse(_("must be between %(first)s and %(last)s") % {"first": EARLIEST, "last": LATEST}, field, None)
    return parsed


def choice(value, field: str, choices, *, required: bool = True) -> str:
    """One of `choices`: a sequence of codes, or a Django Choices class, whose labels the error then
    names beside the codes ("Approve (approve)"): a person reads the label, a program sends the code."""
    codes = list(choices.values) if hasattr(choices, "labels") else list(choices)
    if value in (None, "") and not required:
        return ""
    if value not in codes:
        if hasattr(choices, "labels"):
            shown = ", ".join(f"{label} ({code})" for code, label in zip(codes, choices.labels))
        else:
            shown = ", ".join(map(str, codes))
        if value in (None, ""):
            return refuse(_("choose one: %(choices)s") % {"choices": shown}, field, "")
        return refuse(_("must be one of: %(choices)s") % {"choices": shown}, field, "")
    return value


def integer(value, field: str, *, minimum: int | None = None, maximum: int | None = None, required: bool = True):
    if value in (None, "") and not required:
        return None
    if isinstance(value, bool):
        return refuse(_("must be a whole number"), field, None)
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,9}", value.strip()):
        value = int(value)
    if not isinstance(value, int):
        return refuse(_("must be a whole number"), field, None)
    if minimum is not None and value < minimum:
        return refuse(_("must be at least %(n)d") % {"n": minimum}, field, None)
    if maximum is not None and value > maximum:
        return refuse(_("must be at most %(n)d") % {"n": maximum}, field, None)
    return value


def iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None
