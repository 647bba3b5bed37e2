"""Every string of the project has its Arabic translation, and the compiled catalogue matches it."""

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

import ceasefire

from .catalog import read

SRC = Path(ceasefire.__file__).resolve().parent
PO = SRC / "locale" / "ar" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def messages():
    return [e for e in read(PO) if e.msgid]  # without the header


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = messages()
    assert len(entries) > 300
    untranslated = [f"line {e.line}: {e.msgid!r}" for e in entries if not e.translated]
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in entries if e.fuzzy]
    assert not untranslated, "untranslated:\n" + "\n".join(untranslated)
    assert not fuzzy, "fuzzy:\n" + "\n".join(fuzzy)


def test_plural_messages_have_all_six_arabic_forms():
    header = read(PO)[0]
    assert "nplurals=6;" in header.msgstr[""]
    for e in messages():
        if e.msgid_plural is not None:
            assert sorted(e.msgstr) == list(range(6)), e.msgid


def test_translations_are_arabic():
    latin_only = [e.msgid for e in messages() if not any("\u0600" <= c <= "\u06ff" for c in "".join(e.msgstr.values()))]
    assert not latin_only


def test_the_compiled_catalogue_matches_the_po_file():
    with open(MO, "rb") as f:
        catalog = gettext.GNUTranslations(f)._catalog
    expected = {}
    for e in messages():
        key = f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt is not None else e.msgid
        if e.msgid_plural is None:
            expected[key] = e.msgstr[""]
        else:
            for i, text in e.msgstr.items():
                expected[(key, i)] = text
    compiled = {k: v for k, v in catalog.items() if k != ""}
    assert compiled == expected, "the .mo is stale: run django-admin compilemessages"


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="msgfmt (GNU gettext) is not installed")
def test_the_po_file_passes_msgfmt_checks(tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(PO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(not shutil.which("xgettext"), reason="xgettext (GNU gettext) is not installed")
def test_the_catalogue_holds_every_string_in_the_source(tmp_path, settings, monkeypatch):
    """Extract the strings afresh from a copy of the source: any new or changed one shows up
    untranslated or fuzzy."""
    copy = tmp_path / "ceasefire"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["ar"], verbosity=0, no_obsolete=True)
    fresh = [e for e in read(copy / "locale" / "ar" / "LC_MESSAGES" / "django.po") if e.msgid]
    missing = [f"{e.msgid!r}" for e in fresh if not e.translated or e.fuzzy]
    assert not missing, "strings in the source without an Arabic translation:\n" + "\n".join(missing)
