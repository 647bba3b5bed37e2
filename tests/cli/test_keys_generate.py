"""`ceasefire keys generate`: a private key file (mode 0600, never overwritten) and its verifier key
on stdout, made on the holder's own machine without a database or a data folder."""

import stat

import pytest

from ceasefire.record import keyfile, note

from .helpers import ceasefire, no_traceback


def test_a_witness_key_by_default(tmp_path):
    out = tmp_path / "west.key"
    run = ceasefire("keys", "generate", "--name", "jmc-west-witness", "--out", out, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    vkey = run.stdout.strip()
    assert run.stdout == vkey + "\n"  # stdout is the verifier key alone, for a script to take
    key = keyfile.read(out)
    assert key.alg == note.COSIGNATURE_V1 and key.name == "jmc-west-witness"
    assert str(key.verifier) == vkey
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "Register this verifier key" in run.stderr
    # Nothing else was written: no data folder, no database.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["west.key"]


def test_a_log_key_with_log(tmp_path):
    out = tmp_path / "log.key"
    run = ceasefire("keys", "generate", "--name", "jmc.example.org/record", "--log", "--out", out, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    key = keyfile.read(out)
    assert key.alg == note.ED25519 and str(key.verifier) == run.stdout.strip()
    # It signs checkpoints that verify with the printed key.
    body = note.Checkpoint("jmc.example.org/record", 0, bytes(32)).body()
    note.verify_checkpoint(note.sign(body, key), run.stdout.strip())


def test_the_file_defaults_to_the_name_here(tmp_path):
    run = ceasefire("keys", "generate", "--name", "unsmil/witness", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert keyfile.read(tmp_path / "unsmil_witness.key").name == "unsmil/witness"


def test_an_existing_file_is_never_overwritten(tmp_path):
    out = tmp_path / "west.key"
    out.write_text("precious\n")
    run = ceasefire("keys", "generate", "--name", "jmc-west-witness", "--out", out, cwd=tmp_path)
    assert run.returncode == 2 and run.stdout == ""
    assert str(out) in run.stderr and "never overwritten" in run.stderr
    assert out.read_text() == "precious\n"
    no_traceback(run)


@pytest.mark.parametrize("name, why", [("jmc west", "space"), ("a+b", "'+'"), ("", "empty")])
def test_a_name_a_key_cannot_carry_is_refused(tmp_path, name, why):
    run = ceasefire("keys", "generate", "--name", name, "--out", tmp_path / "k.key", cwd=tmp_path)
    assert run.returncode == 2 and "--name" in run.stderr and why in run.stderr
    assert not (tmp_path / "k.key").exists()
    no_traceback(run)


def test_a_folder_that_does_not_exist(tmp_path):
    run = ceasefire("keys", "generate", "--name", "w", "--out", tmp_path / "no" / "such" / "w.key", cwd=tmp_path)
    assert run.returncode == 2 and "w.key" in run.stderr
    no_traceback(run)


@pytest.mark.parametrize("args", [[], ["generate"], ["rotate", "--name", "x"], ["generate", "--name", "x", "--bogus"]])
def test_a_bad_command_line_prints_the_usage(tmp_path, args):
    run = ceasefire("keys", *args, cwd=tmp_path)
    assert run.returncode == 2 and "usage: ceasefire keys" in run.stderr
    assert list(tmp_path.iterdir()) == []


def test_help(tmp_path):
    run = ceasefire("keys", "generate", "--help", cwd=tmp_path)
    assert run.returncode == 0 and "--log" in run.stdout and "--out" in run.stdout
    listed = ceasefire("--help", cwd=tmp_path)
    assert "keys generate --name NAME [--out FILE] [--log]" in listed.stdout
