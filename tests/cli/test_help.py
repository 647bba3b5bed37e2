"""`ceasefire --help` lists our commands, one line each, not Django's whole list."""

from .helpers import ceasefire

COMMANDS = ["demo", "serve", "migrate", "check", "user", "token", "replay", "backup", "restore", "scenario"]


def test_help_lists_our_commands():
    run = ceasefire("--help")
    assert run.returncode == 0
    listed = {line.split()[0]: line for line in run.stdout.splitlines() if line.startswith("  ") and line.split()}
    for name in COMMANDS:
        assert name in listed, run.stdout
        assert len(listed[name].split()) > 2  # the name and a line saying what it does
    assert "runserver" not in run.stdout and "createsuperuser" not in run.stdout


def test_command_help_and_unknown_command():
    run = ceasefire("user", "create", "--help")
    assert run.returncode == 0
    assert "--role" in run.stdout and "--password-stdin" in run.stdout
    unknown = ceasefire("frobnicate")
    assert unknown.returncode == 2
    assert "'frobnicate'" in unknown.stderr
    assert unknown.stderr.count("\n") == 1


def test_scenario_list_names_libya_2020():
    run = ceasefire("scenario", "list")
    assert run.returncode == 0, run.stderr
    assert run.stdout.split()[0] == "libya-2020"
