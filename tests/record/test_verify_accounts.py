"""record verify opens every entry's commitment to its account in a bundle for the parties: each must
open with exactly one earlier enrollment of its role and party."""

import pytest

from ceasefire.record import merkle, verify

from .test_bundle_helpers import Edit, export, record, run  # noqa: F401 (fixture)


def test_with_accounts_a_parties_bundle_says_every_commitment_opens(record, tmp_path):
    result = run(export(tmp_path), accounts=True)
    assert result.code == 0, result
    assert (
        "accounts: each of the" in result.out
        and "entries that commit to an account opens to exactly one enrolled account" in result.out
    )
    assert "accounts:" not in run(export(tmp_path)).out  # asked for: it parses entries the fast pass does not
    observers = run(export(tmp_path, "observers", "observers.bundle"), accounts=True)
    assert (
        observers.code == 2 and "--accounts needs a bundle for the parties" in observers.err
    )  # they hold no enrollment


def rewrite(path, change) -> None:
    edit = Edit.read(path)
    i = next(i for i in edit.readable() if b'"type":"meeting.recorded"' in edit.body(i))
    body = change(edit.body(i))
    edit.entries[i] = merkle.leaf_hash(body).hex().encode() + b" " + body
    edit.write(path)
    return i


def test_a_commitment_no_enrollment_opens_is_named(record, tmp_path):
    path = export(tmp_path)
    i = rewrite(
        path,
        lambda body: body.replace(body[body.index(b'"account":"') + 11 : body.index(b'"account":"') + 75], b"0" * 64),
    )
    with pytest.raises(
        verify.Failed,
        match=rf"^entry {i}: its commitment to an account \(facilitator, party none\) opens to no earlier enrollment",
    ):
        verify.check_accounts(str(path))


def test_an_entry_moved_to_another_role_no_longer_opens(record, tmp_path):
    path = export(tmp_path)
    i = rewrite(path, lambda body: body.replace(b'"actor":"facilitator"', b'"actor":"monitor"'))
    with pytest.raises(verify.Failed, match=rf"^entry {i}: .*\(monitor, party none\) opens to no earlier enrollment"):
        verify.check_accounts(str(path))
