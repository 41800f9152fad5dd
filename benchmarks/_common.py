"""What the benchmarks share: the machine's description, statistics, a loopback wire server.

The wire server is a small Starlette app under uvicorn that answers the
Context7 docs and search endpoints with fixed, valid bodies, optionally after
a fixed latency, and counts the requests it serves (``GET /__stats``). It runs
in its own process, so the client being measured has the interpreter to
itself; it exits when the benchmark closes its stdin, or after an hour.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing_extensions import Self

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = "/acme/widgets"


def machine() -> str:
    """One line: CPU model, cores, memory, OS, Python."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f", {int(line.split()[1]) / 1024 / 1024:.0f} GiB RAM"
                break
    except OSError:
        pass
    return (
        f"{model}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def percentile(samples: Sequence[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


class _ServerProcess:
    """A server in a subprocess that prints its port, and stops when its stdin closes."""

    name = "server"

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None
        self.base_url = ""

    def command(self) -> list[str]:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.process = subprocess.Popen(
            self.command(), cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.strip():
            raise RuntimeError(f"the {self.name} did not start")
        self.base_url = f"http://127.0.0.1:{int(line)}/api"
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.process is None:
            return
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


class WireServer(_ServerProcess):
    """The loopback wire server in a subprocess: ``with WireServer(latency=0.05) as srv: srv.base_url``."""

    name = "wire server"

    def __init__(self, *, latency: float = 0.0, snippets: int = 10) -> None:
        super().__init__()
        self.latency = latency
        self.snippets = snippets

    def command(self) -> list[str]:
        return [sys.executable, "-m", "benchmarks._wire_server", str(self.latency), str(self.snippets)]

    def requests_served(self) -> int:
        import httpx

        return int(httpx.get(self.base_url.removesuffix("/api") + "/__stats", timeout=5).json()["requests"])


LOCAL_SERVER = """
import sys
from pathlib import Path
from context7_kit.server.local import LocalServer
libraries = dict(arg.split("=", 1) for arg in sys.argv[1:])
with LocalServer({name: Path(path) for name, path in libraries.items()}) as server:
    print(server.port, flush=True)
    sys.stdin.read()
"""


class LocalServerProcess(_ServerProcess):
    """The project's local docs server in a subprocess: ``with LocalServerProcess({"/o/r": path}) as srv``."""

    name = "local docs server"

    def __init__(self, libraries: dict[str, Path]) -> None:
        super().__init__()
        self.libraries = libraries

    def command(self) -> list[str]:
        return [sys.executable, "-c", LOCAL_SERVER, *(f"{name}={path}" for name, path in self.libraries.items())]
