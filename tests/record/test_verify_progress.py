"""On a long run the verifier reports progress on stderr, and Ctrl-C stops it cleanly with exit 130."""

from ceasefire.record import verify, verify_fast

from .test_bundle_helpers import export, record  # noqa: F401 (fixture)


def test_progress_goes_to_stderr(record, tmp_path, monkeypatch, capsys):
    path = export(tmp_path)
    monkeypatch.setattr(verify, "PROGRESS_EVERY", 10)
    monkeypatch.setattr(verify_fast, "BATCH_BYTES", 2000)  # a few lines per batch
    assert verify.main([str(path)]) == 0
    captured = capsys.readouterr()
    progress = [line for line in captured.err.splitlines() if line.startswith("verify: ")]
    assert len(progress) >= 2 and progress[0].startswith("verify: 1") and progress[0].endswith(" entries")
    assert captured.out.startswith("OK: ") and "verify: " not in captured.out


def test_ctrl_c_exits_130_without_a_traceback(record, tmp_path, monkeypatch, capsys):
    path = export(tmp_path)

    def interrupted(leaves):
        raise KeyboardInterrupt

    monkeypatch.setattr(verify_fast, "build_levels", interrupted)
    assert verify.main([str(path)]) == 130
    captured = capsys.readouterr()
    assert captured.err.strip() == "verify: interrupted" and captured.out == ""
