"""Several processes append at once: the stored tree is the tree of the stored bodies."""

import json

from tests.record.test_concurrent_append import shared_database, worker  # noqa: F401 (a fixture)

WORKERS, EACH = 4, 25


def test_concurrent_writers_leave_the_tree_of_the_record(shared_database, tmp_path):  # noqa: F811
    worker(shared_database, tmp_path, "setup")
    procs = [worker(shared_database, tmp_path, "append", str(EACH), wait=False) for _ in range(WORKERS)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    total = 2 + WORKERS * EACH  # the facilitator's enrollment and the establishment, then the appends
    assert json.loads(worker(shared_database, tmp_path, "report"))["seqs"] == list(range(total))
    result = json.loads(worker(shared_database, tmp_path, "root"))
    assert result["size"] == total
    assert result["root"] == result["expected"]
    assert result["check"] is None
