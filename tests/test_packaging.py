"""What users install: the wheel holds the library and its licence, and no test tooling."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import zipfile
from email import message_from_string
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REPO_URL = "https://github.com/context7-kit/context7-kit"
LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    pytest.importorskip("hatchling", reason="hatchling (the build backend) is in the test extra")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    (path,) = out.glob("*.whl")
    return zipfile.ZipFile(path)


def test_wheel_ships_the_mit_licence(wheel: zipfile.ZipFile) -> None:
    (name,) = [n for n in wheel.namelist() if n.endswith("dist-info/licenses/LICENSE")]
    text = wheel.read(name).decode()
    assert text.startswith("MIT License")
    assert "context7-kit developers" in text


def test_wheel_holds_no_test_tooling(wheel: zipfile.ZipFile) -> None:
    modules = [n for n in wheel.namelist() if n.endswith(".py")]
    assert "context7_kit/server/local.py" in modules
    assert not [n for n in modules if re.search(r"testing|mcp_compat|fixture|conftest", n)]
    for name in modules:
        text = wheel.read(name).decode()
        assert "fixture_server" not in text, name
        assert ".c7kit" not in text, f"{name} assumes a checkout"


def test_readme_links_work_on_a_package_index_page(wheel: zipfile.ZipFile) -> None:
    (name,) = [n for n in wheel.namelist() if n.endswith("dist-info/METADATA")]
    description = message_from_string(wheel.read(name).decode()).get_payload()
    assert isinstance(description, str)
    links = LINK.findall(description)
    assert links
    for target in links:
        assert target.startswith("https://"), f"relative link {target!r} breaks on a package index page"
        if target.startswith(f"{REPO_URL}/blob/main/") or target.startswith(f"{REPO_URL}/tree/main/"):
            relative = target.split("/main/", 1)[1]
            assert (ROOT / relative).exists(), f"{target} points at a file the repository does not have"


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60, check=False
    )


def test_server_without_its_extra_names_the_extra() -> None:
    result = _run(
        """
        import sys
        sys.modules["uvicorn"] = None  # as if the server extra were not installed
        try:
            import context7_kit.server
        except ImportError as exc:
            print(exc)
        else:
            raise SystemExit("imported without uvicorn")
        """
    )
    assert result.returncode == 0, result.stderr
    assert 'pip install "context7-kit[server]"' in result.stdout
    assert "uvicorn" in result.stdout


def test_collecting_the_suite_succeeds() -> None:
    """``pytest --collect-only`` runs no test, so it must not report every cassette as unused."""
    # The whole suite as the argument (that is when cassettes are checked), its heavy folders left out for speed.
    skip_heavy = [f"--ignore=tests/{folder}" for folder in ("langchain", "llama_index", "server", "robustness")]
    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "--record-mode=none", "-p", "no:cacheprovider"]
    result = subprocess.run(
        [*command, *skip_heavy, "tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "Unused cassettes" not in result.stdout
