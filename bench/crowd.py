"""A crowd of clients against a server on loopback, for the benchmarks that measure one (public.py,
load.py): each client on its own keep-alive connection, requests back to back, latencies kept."""

import http.client
import socket
import sys
import threading
import time


def load(
    port: int,
    clients: int,
    requests: int,
    paths: list[str],
    headers: dict | None = None,
    *,
    method: str = "GET",
    body: bytes | None = None,
    ok=lambda status: status == 200,
) -> tuple[list[float], int, float]:
    """Every client sends `requests` requests on its own connection, cycling through `paths` from its
    own place in it. -> the latencies (s) of the answers, the errors (an answer `ok` refuses, or
    none), the wall time."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    go = threading.Barrier(clients + 1)

    def client(k: int) -> None:
        mine, bad = [], 0
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        go.wait()
        for i in range(requests):
            path = paths[(k + i) % len(paths)]
            t = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers or {})
                answer = conn.getresponse()
                answer.read()
                if not ok(answer.status):
                    bad += 1
                if answer.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append(time.perf_counter() - t)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    go.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    return latencies, errors[0], time.perf_counter() - t0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, server) -> None:
    """Until the server (a Popen) accepts connections on `port`; exits if it ends first."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server exited with {server.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit("the server did not start")
