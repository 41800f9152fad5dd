"""``context7-kit serve`` / ``index`` as a newcomer meets them, and ``serve`` run for real in a subprocess."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from context7_kit.server.cli import ConfigError, resolve_config
from tests.server.conftest import WIDGETS
from tests.server.test_cli import parse

START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(*argv: str, ready: str = "Base URL") -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``context7-kit serve ARGV`` in a subprocess on a free port: its base URL once it answers."""
    port = free_port()
    command = [sys.executable, "-m", "context7_kit.cli", "serve", "--port", str(port), "--log-level", "warning", *argv]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=os.environ)
    base_url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise AssertionError(f"serve exited: {process.stdout.read() if process.stdout else ''}")
            try:
                if httpx.get(f"{base_url}/openapi.json", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.1)
        yield base_url, process
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def test_unknown_config_keys_are_named(tmp_path: Path) -> None:
    config = tmp_path / "server.toml"
    config.write_text(f'prot = 8797\n[[libraries]]\nid = "/acme/widgets"\npath = "{WIDGETS}"\n')
    with pytest.raises(ConfigError, match=r"unknown key 'prot'\. Did you mean 'port'\?"):
        resolve_config(parse("serve", "--config", str(config)))
    config.write_text(f'[[libraries]]\nid = "/acme/widgets"\npath = "{WIDGETS}"\ntitel = "Widgets"\n')
    with pytest.raises(ConfigError, match=r"unknown key 'titel'\. Did you mean 'title'\?"):
        resolve_config(parse("serve", "--config", str(config)))


def test_every_config_key_is_read(tmp_path: Path) -> None:
    config = tmp_path / "server.toml"
    config.write_text(
        f"""
host = "127.0.0.2"
port = 9000
index = "idx.sqlite"
profile = "live"
forwarded_allow_ips = "10.0.0.1"
header_timeout = 3.5
keep_alive = 2
max_connections = 50
workers = 2
watch = true
[[libraries]]
id = "/acme/widgets"
path = "{WIDGETS}"
max_file_bytes = 1000
rules = ["Be nice."]
"""
    )
    settings = resolve_config(parse("serve", "--config", str(config)))
    assert (settings.host, settings.port, settings.index) == ("127.0.0.2", 9000, tmp_path / "idx.sqlite")
    assert (settings.profile, settings.forwarded_allow_ips, settings.workers, settings.watch) == (
        "live",
        "10.0.0.1",
        2,
        True,
    )
    assert (settings.limits.header_timeout, settings.limits.keep_alive, settings.limits.max_connections) == (3.5, 2, 50)
    assert settings.libraries[0].rules == ("Be nice.",) and settings.libraries[0].max_file_bytes == 1000
    for bad in ("workers = 0", "workers = true", "header_timeout = -1", "max_connections = 0"):
        config.write_text(f'{bad}\n[[libraries]]\nid = "/acme/widgets"\npath = "{WIDGETS}"\n')
        with pytest.raises(ConfigError):
            resolve_config(parse("serve", "--config", str(config)))


def test_index_help_is_truthful(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parse("index", "--help")
    text = " ".join(capsys.readouterr().out.split())
    assert "in memory" not in text
    assert "required" in text
    args = parse("index", "--library", f"/acme/widgets={WIDGETS}")
    assert args.func(args) == 2
    assert "give --index PATH" in capsys.readouterr().err


def test_an_empty_folder_is_warned_about_and_progress_is_summed_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    (empty / "images").mkdir(parents=True)
    (empty / "images" / "logo.png").write_bytes(b"\x89PNG")
    args = parse(
        "index",
        "--library",
        f"/acme/empty={empty}",
        "--library",
        f"/acme/widgets={WIDGETS}",
        "--index",
        str(tmp_path / "i.sqlite"),
    )
    assert args.func(args) == 0
    err = capsys.readouterr().err
    assert "warning: /acme/empty: no Markdown" in err
    assert "widgets" not in err.split("warning")[1].split("\n")[0]
    # Not a terminal: one summary line, no carriage returns.
    assert "\r" not in err
    assert "Indexed 2 libraries: 33 snippets, 5 files read" in err


def test_serve_checks_the_port_before_indexing(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        args = parse("serve", "--library", f"/acme/widgets={WIDGETS}", "--port", str(port))
        assert args.func(args) == 2
    captured = capsys.readouterr()
    assert "the port is in use" in captured.err and "choose another with --port" in captured.err
    assert "Indexed" not in captured.err and "Serving" not in captured.out  # nothing was indexed


def test_serve_watch_reindexes_changed_docs_in_the_background(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "guide.md").write_text("# Guide\n\n## Setup\n\n```python\nsetup_old()\n```\n")
    params = {"libraryId": "/acme/live", "query": "setup", "type": "json"}
    with serving("--library", f"/acme/live={docs}", "--watch") as (base_url, _process):
        first = httpx.get(f"{base_url}/v2/context", params=params).json()
        assert first["codeSnippets"][0]["codeList"][0]["code"] == "setup_old()"
        (docs / "guide.md").write_text("# Guide\n\n## Setup\n\n```python\nsetup_new()\n```\n")
        deadline = time.monotonic() + 30
        while True:
            body = httpx.get(f"{base_url}/v2/context", params=params).json()
            if body["codeSnippets"][0]["codeList"][0]["code"] == "setup_new()":
                break
            assert time.monotonic() < deadline, "the edit was never picked up"
            time.sleep(0.2)


def test_serve_with_two_workers_shares_one_index(tmp_path: Path) -> None:
    """Both workers answer from the parent's index file (a worker opening it once broke the other's queries)."""
    with (
        serving("--library", f"/acme/widgets={WIDGETS}", "--workers", "2", "--profile", "live") as (base_url, _p),
        httpx.Client(base_url=base_url, timeout=10) as http,
    ):
        answers = [
            http.get(
                "/v2/context",
                params={"libraryId": "/acme/widgets", "query": "install", "type": "json"},
                headers={"Connection": "close"},  # a new connection each time: both workers answer
            )
            for _ in range(40)
        ]
    assert {a.status_code for a in answers} == {200}
    assert len({a.text for a in answers}) == 1  # the same answer from either worker
    assert answers[0].json()["codeSnippets"]


def test_slow_header_connections_are_closed_and_others_still_served() -> None:
    with serving("--library", f"/acme/widgets={WIDGETS}", "--header-timeout", "1") as (base_url, _process):
        port = int(base_url.split(":")[2].split("/")[0])
        slow = []
        for _ in range(50):
            conn = socket.create_connection(("127.0.0.1", port))
            conn.sendall(b"GET /api/v2/libs/search?libraryName=w HTTP/1.1\r\nHost: x\r\n")  # never finished
            slow.append(conn)
        time.sleep(2.5)
        closed = 0
        for conn in slow:
            conn.settimeout(2)
            try:
                closed += conn.recv(1) == b""
            except OSError:
                closed += 1
            conn.close()
        assert closed == 50
        assert httpx.get(f"{base_url}/v2/libs/search", params={"libraryName": "widgets"}).status_code == 200


def test_serve_gives_blas_one_thread_per_request_unless_the_user_sized_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # Requests already run in parallel; a BLAS pool in each one oversubscribed the cores (about 6x less throughput).
    from context7_kit.server import cli

    for name in cli.BLAS_THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MKL_NUM_THREADS", "4")
    code = cli.serve(parse("serve", "--library", f"/acme/widgets={WIDGETS}", "--config", "/nonexistent.toml"))
    assert code == 2  # stopped at the missing config file, after the thread pools were sized
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1" and os.environ["OMP_NUM_THREADS"] == "1"
    assert os.environ["MKL_NUM_THREADS"] == "4"
