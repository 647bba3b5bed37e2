"""`ceasefire import` shows its progress (rate, time left) on stderr when stderr is a terminal, and
not into a file or a pipe; `--batch` imports the same rows, and run again skips every one."""

import os
import pty
import subprocess

import pytest

from .helpers import COMMAND, _default_cwd, ceasefire, environment, no_traceback

HEADER = "event_id_cnty,event_date,event_type,sub_event_type,actor1,location,latitude,longitude,fatalities"
ROW = "LBY{i},2021-03-01,Explosions/Remote violence,Shelling/artillery/missile attack,east,Sirte,31.2,16.5,0"


@pytest.fixture(scope="module")
def data(demo, tmp_path_factory):
    return demo.copy(tmp_path_factory.mktemp("import") / "data")


@pytest.fixture
def rows(tmp_path):
    path = tmp_path / "acled.csv"
    path.write_text("\n".join([HEADER, *(ROW.format(i=i) for i in range(1, 6))]) + "\n")
    return path


def on_a_terminal(*args) -> tuple[int, str]:
    """Run with stderr on a pseudo-terminal: (exit code, what the terminal showed)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [*COMMAND, *map(str, args)],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env=environment(),
        cwd=_default_cwd(),
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            piece = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not piece:
            break
        shown += piece
    os.close(leader)
    return process.wait(timeout=120), shown.decode(errors="replace")


def test_progress_on_a_terminal_only(data, rows):
    code, shown = on_a_terminal("import", "acled", rows, "--as", "facilitator", "--batch", "2", "--data-dir", data)
    assert code == 0, shown
    assert "100%" in shown and "rows/s" in shown and "5 filed" in shown, shown
    again = ceasefire("import", "acled", rows, "--as", "facilitator", "--batch", "2", "--data-dir", data)
    no_traceback(again)
    assert again.returncode == 0 and "0 reports filed, 5 rows imported before" in again.stdout
    assert again.stderr == ""  # a pipe: no progress unless --progress asks for it
