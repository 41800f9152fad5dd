"""The vendor's own clients, pinned: the ``ctx7`` CLI and the TypeScript SDK ``@upstash/context7-sdk``.

``scripts/test`` installs them with npm into ``.c7kit/vendor`` (a set-up step,
like pip install), so the compatibility tests run them without the network:
``ensure_vendor_clients`` in ``scripts/_env.sh`` reads the pins below.

``ctx7`` takes the server's origin with ``--base-url`` (it adds ``/api``).
The SDK (0.3.x) has no base-URL option (its ``Context7Config`` holds only
``apiKey``), so :data:`SDK_SCRIPT` replaces ``fetch`` to send its requests,
made for ``https://context7.com/api``, to the server under test instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

CTX7_PACKAGE = "ctx7"
CTX7_VERSION = "0.5.12"
SDK_PACKAGE = "@upstash/context7-sdk"
SDK_VERSION = "0.3.1"
LOCAL_INSTALL = Path(__file__).resolve().parents[1] / ".c7kit" / "vendor"
SDK_ORIGIN = "https://context7.com/api"  # the SDK's built-in base URL

# argv: base URL, then a JSON list of [method, ...args]; prints one JSON line per call.
SDK_SCRIPT = r"""
const [target, calls] = [process.argv[1], JSON.parse(process.argv[2])];
const realFetch = globalThis.fetch;
globalThis.fetch = (url, init) => realFetch(String(url).replace(ORIGIN, target), init);
const { Context7 } = await import("@upstash/context7-sdk");
const client = new Context7({ apiKey: process.env.CONTEXT7_API_KEY });
for (const [method, ...args] of calls) {
  try {
    console.log(JSON.stringify({ ok: true, value: await client[method](...args) }));
  } catch (error) {
    console.log(JSON.stringify({ ok: false, name: error.name, message: error.message }));
  }
}
"""


class VendorClientsMissing(RuntimeError):
    """node, or the pinned packages, are not installed."""


@dataclass(frozen=True)
class Run:
    """What one command printed."""

    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def _installed(package: str, version: str) -> bool:
    manifest = LOCAL_INSTALL / "node_modules" / package / "package.json"
    try:
        return bool(json.loads(manifest.read_text()).get("version") == version)
    except (OSError, ValueError):
        return False


def check_installed() -> str:
    """The path of ``node``; raises :class:`VendorClientsMissing` saying what is missing."""
    node = shutil.which("node")
    if node is None:
        raise VendorClientsMissing("node is not on PATH")
    missing = [
        f"{package}@{version}"
        for package, version in ((CTX7_PACKAGE, CTX7_VERSION), (SDK_PACKAGE, SDK_VERSION))
        if not _installed(package, version)
    ]
    if missing:
        raise VendorClientsMissing(
            f"{', '.join(missing)} not installed in {LOCAL_INSTALL} (./scripts/test installs them with npm)"
        )
    return node


def _env(api_key: str, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "TMPDIR")}
    # A home of its own: no saved ctx7 login, no update-check state; no telemetry.
    env.update({"HOME": str(home), "XDG_CONFIG_HOME": str(home), "CTX7_TELEMETRY_DISABLED": "1", "NO_COLOR": "1"})
    env["CONTEXT7_API_KEY"] = api_key
    return env


def run_ctx7(origin: str, *args: str, api_key: str, home: Path, timeout: float = 60) -> Run:
    """``ctx7 --base-url ORIGIN ARGS...`` (the origin without ``/api``)."""
    node = check_installed()
    script = LOCAL_INSTALL / "node_modules" / CTX7_PACKAGE / "dist" / "index.js"
    done = subprocess.run(
        [node, str(script), "--base-url", origin, *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_env(api_key, home),
        stdin=subprocess.DEVNULL,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def run_sdk(base_url: str, calls: list[list[object]], *, api_key: str, home: Path, timeout: float = 60) -> list[dict]:
    """Call the SDK's methods in order against ``base_url``: ``{ok, value}`` or ``{ok, name, message}`` each."""
    node = check_installed()
    script = SDK_SCRIPT.replace("ORIGIN", json.dumps(SDK_ORIGIN))
    done = subprocess.run(
        [node, "--input-type=module", "-e", script, base_url, json.dumps(calls)],
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_env(api_key, home),
        cwd=LOCAL_INSTALL,  # where node resolves the package
        stdin=subprocess.DEVNULL,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or len(lines) != len(calls):
        raise AssertionError(f"the SDK script failed ({done.returncode}): {done.stdout}{done.stderr}")
    return [json.loads(line) for line in lines]
