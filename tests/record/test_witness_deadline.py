"""Each request of the witness has --timeout seconds in all: a server that answers a byte at a
time, in its headers or its body, cannot hold a round forever. Exit 2, one line, naming it."""

import io
import socket
import threading
import time

import pytest

from ceasefire.record import keyfile, note, witness


@pytest.fixture
def trickle():
    """A server that sends `head`, then the rest of `answer` a byte every 0.1 s."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()
    answer = {"bytes": b""}

    def serve():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                data = answer["bytes"]
                try:
                    for k in range(len(data)):
                        if stop.is_set():
                            break
                        conn.sendall(data[k : k + 1])
                        time.sleep(0.1)
                except OSError:
                    continue

    threading.Thread(target=serve, daemon=True).start()
    yield answer, f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    listener.close()


@pytest.mark.parametrize(
    "slow",
    [
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
        + b"X-Slow: "
        + b"a" * 200
        + b"\r\n\r\n",  # the headers, slowly
        b"HTTP/1.1 200 OK\r\nContent-Length: 200\r\n\r\n" + b"a" * 200,  # the body, slowly
    ],
    ids=["headers", "body"],
)
def test_a_server_answering_a_byte_at_a_time_is_given_up_on(trickle, tmp_path, slow):
    answer, url = trickle
    answer["bytes"] = slow
    key = tmp_path / "w.key"
    keyfile.write(key, note.generate_cosigner_key("west-witness")[0])
    out, err = io.StringIO(), io.StringIO()
    began = time.monotonic()
    code = witness.main(
        ["--server", url, "--key", str(key), "--state", str(tmp_path / "state"), "--timeout", "1"], out=out, err=err
    )
    took = time.monotonic() - began
    assert code == 2, err.getvalue()
    assert took < 5, took  # each byte comes within the socket's timeout: only a deadline stops it
    assert (
        err.getvalue()
        == f"ceasefire witness: {url}/api/v1/record/log-key gave no complete answer within 1 seconds (--timeout)\n"
    )


def test_the_timeout_must_be_above_0(tmp_path):
    err = io.StringIO()
    assert (
        witness.main(["--server", "http://x", "--key", "k", "--state", str(tmp_path), "--timeout", "0"], err=err) == 2
    )
    assert "--timeout 0.0: give a number of seconds above 0" in err.getvalue()
