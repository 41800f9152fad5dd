"""Where documentation comes from: a folder of Markdown, and a git checkout's tags.

A folder is walked for Markdown (``.md``, ``.mdx``, ``.markdown``), reStructuredText
(``.rst``), notebook (``.ipynb``) and plain-text (``.txt``) files. Hidden
folders and ``node_modules`` are skipped; so are symlinks that leave the
folder, binary files and files over ``max_file_bytes`` (each with a warning).
An optional ``context7.json`` in the folder (the file Context7 itself reads)
gives the title, description, rules and folders or files to exclude.

When the folder is the top of a git checkout (or ``git_versions=True``), each
tag whose name is a valid version segment is a version of the library; its
files are read with ``git ls-tree`` and ``git cat-file --batch`` at the tag's
commit, never checked out.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import logging
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from context7_kit.core.errors import InvalidInputError
from context7_kit.core.library_id import LibraryId
from context7_kit.server.parser import DOC_SUFFIXES

logger = logging.getLogger("context7_kit.server")

DEFAULT_MAX_FILE_BYTES = 2_000_000
DEFAULT_TRUST_SCORE = 7.0  # 0..10; the vendor's clients show 7 and up as "High"
DEFAULT_BENCHMARK_SCORE = 50.0  # 0..100; a neutral middle until someone measures the library
SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "site-packages"})
GIT_TIMEOUT = 60.0
MAX_DEPTH = 64  # folder levels below a docs folder that are read


@dataclass(frozen=True)
class SourceFile:
    """One Markdown file: its path relative to the library root and its text."""

    path: str
    text: str


@dataclass(frozen=True)
class LibraryConfig:
    """What a ``context7.json`` in the docs folder says about the library."""

    title: str | None = None
    description: str | None = None
    rules: tuple[str, ...] = ()
    exclude_folders: tuple[str, ...] = ()
    exclude_files: tuple[str, ...] = ()


@dataclass(frozen=True)
class LibrarySource:
    """A library to serve: its ID, its docs folder and how to describe it.

    ``source_url``, when given, prefixes each file's relative path in
    ``codeId``/``pageId`` (e.g. ``https://github.com/acme/widgets/blob/main/docs/``);
    otherwise the relative path alone is used. ``trust_score`` (0..10) and
    ``benchmark_score`` (0..100) are what library searches report.
    """

    library_id: str
    path: Path
    title: str | None = None
    description: str | None = None
    source_url: str | None = None
    git_versions: bool | None = None
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    rules: tuple[str, ...] = field(default=())
    trust_score: float = DEFAULT_TRUST_SCORE
    benchmark_score: float = DEFAULT_BENCHMARK_SCORE

    def __post_init__(self) -> None:
        for name, high in (("trust_score", 10.0), ("benchmark_score", 100.0)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= high:
                raise InvalidInputError(
                    f"{name} of {self.library_id} must be a number from 0 to {high:g}, not {value!r}."
                )
            object.__setattr__(self, name, float(value))
        parsed = LibraryId.parse(self.library_id)
        if parsed.version is not None:
            raise InvalidInputError(
                f"A served library ID has no version: use {parsed.base!r}; git tags become its versions."
            )
        object.__setattr__(self, "library_id", parsed.base)
        object.__setattr__(self, "path", Path(self.path))

    def source_of(self, relative: str) -> str:
        """The URL or path that identifies a file in snippet IDs."""
        if self.source_url:
            return self.source_url.rstrip("/") + "/" + relative
        return relative


def read_config(root: Path) -> LibraryConfig:
    """Read ``context7.json`` from a docs folder; a missing or broken file gives defaults."""
    path = root / "context7.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return LibraryConfig()
    except (OSError, ValueError) as exc:
        logger.warning("Ignoring %s: %s", path, exc)
        return LibraryConfig()
    if not isinstance(data, dict):
        logger.warning("Ignoring %s: it is not a JSON object", path)
        return LibraryConfig()

    def strings(key: str) -> tuple[str, ...]:
        value = data.get(key)
        return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()

    title = data.get("projectTitle")
    description = data.get("description")
    return LibraryConfig(
        title=title if isinstance(title, str) and title.strip() else None,
        description=description if isinstance(description, str) and description.strip() else None,
        rules=strings("rules"),
        exclude_folders=strings("excludeFolders"),
        exclude_files=strings("excludeFiles"),
    )


def _excluded(relative: str, config: LibraryConfig) -> bool:
    posix = PurePosixPath(relative)
    for pattern in config.exclude_files:
        if fnmatch.fnmatch(posix.name, pattern) or fnmatch.fnmatch(relative, pattern):
            return True
    for pattern in config.exclude_folders:
        folder = pattern.strip("./").rstrip("/")
        if folder and (relative.startswith(folder + "/") or folder in posix.parts[:-1]):
            return True
    return False


def decode_markdown(data: bytes, where: str) -> str | None:
    """The text of a Markdown file, or None (with a warning) when it is binary."""
    if b"\x00" in data[:8192]:
        logger.warning("Skipping %s: it looks binary", where)
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        logger.warning("Skipping %s: it is not UTF-8 text", where)
        return None


def _is_markdown(name: str) -> bool:
    return name.lower().endswith(DOC_SUFFIXES)


def walk_folder(root: Path) -> Iterator[tuple[Path, list[str]]]:
    """Each folder under ``root`` (sorted, depth first) and the sorted names of its files.

    Iterative, so a deep tree cannot exhaust the stack; folders deeper than
    :data:`MAX_DEPTH`, hidden ones, :data:`SKIPPED_DIRS` and symlinks to
    folders are not entered; unreadable folders are skipped with a warning.
    """
    stack: list[tuple[Path, int]] = [(root, 0)]
    warned_depth = False
    while stack:
        folder, depth = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listed = [(e.name, e.is_dir(follow_symlinks=False)) for e in entries]
        except OSError as exc:
            logger.warning("Skipping folder %s: %s", folder, exc.strerror or exc)
            continue
        subfolders = sorted(n for n, is_dir in listed if is_dir and not n.startswith(".") and n not in SKIPPED_DIRS)
        yield folder, sorted(n for n, is_dir in listed if not is_dir)
        if subfolders and depth >= MAX_DEPTH:
            if not warned_depth:
                logger.warning("Skipping folders more than %d levels below %s (first: %s)", MAX_DEPTH, root, folder)
                warned_depth = True
            continue
        stack.extend((folder / name, depth + 1) for name in reversed(subfolders))


def iter_folder(root: Path, *, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Iterator[SourceFile]:
    """The Markdown files under ``root`` in a stable (sorted) order; unsafe or bad files skipped."""
    if not root.is_dir():
        logger.warning("Docs folder %s does not exist or is not a folder: serving no snippets from it", root)
        return
    real_root = root.resolve()
    config = read_config(root)
    for folder, filenames in walk_folder(root):
        for name in filenames:
            if not _is_markdown(name) or name.startswith("."):
                continue
            full = folder / name
            relative = full.relative_to(root).as_posix()
            if _excluded(relative, config):
                continue
            if full.is_symlink():
                try:
                    target = full.resolve(strict=True)
                except (OSError, RuntimeError) as exc:  # a symlink loop is a RuntimeError before Python 3.13
                    logger.warning("Skipping %s: the symlink cannot be followed (%s)", full, exc)
                    continue
                if not target.is_relative_to(real_root):
                    logger.warning("Skipping %s: it is a symlink leaving the docs folder", full)
                    continue
            try:
                size = full.stat().st_size
                if size > max_file_bytes:
                    logger.warning("Skipping %s: %d bytes is over the %d byte limit", full, size, max_file_bytes)
                    continue
                if not full.is_file():
                    continue
                data = full.read_bytes()
            except OSError as exc:
                logger.warning("Skipping %s: %s", full, exc)
                continue
            text = decode_markdown(data, str(full))
            if text is not None:
                yield SourceFile(relative, text)


def folder_fingerprint(root: Path) -> str:
    """A hash of every candidate file's path, size and mtime: changes when the docs change."""
    digest = hashlib.sha256()
    if root.is_dir():
        for folder, filenames in walk_folder(root):
            for name in filenames:
                if _is_markdown(name) or name == "context7.json":
                    full = folder / name
                    try:
                        st = full.stat()
                    except OSError:
                        continue
                    digest.update(f"{full.relative_to(root).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


# --- git ----------------------------------------------------------------------


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    """Run git in ``root``; None when git is missing or fails."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        done = subprocess.run(  # noqa: S603 (fixed executable, list arguments, no shell)
            [git, "-C", str(root), *args],
            input=stdin,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        logger.warning("git %s failed in %s: %s", args[0], root, exc)
        return None
    return done.stdout if done.returncode == 0 else None


@dataclass(frozen=True)
class GitCheckout:
    """A docs folder inside a git work tree: the tree's top and the folder's prefix in it."""

    root: Path
    prefix: str

    @classmethod
    def find(cls, folder: Path, *, required_top: bool) -> GitCheckout | None:
        """The checkout holding ``folder``; with ``required_top``, only when ``folder`` is its top."""
        if not folder.is_dir():
            return None
        if required_top and not (folder / ".git").exists():
            return None
        out = _git(folder, "rev-parse", "--show-prefix")
        if out is None:
            return None
        return cls(folder, out.decode("utf-8", "replace").strip())

    def tags(self) -> list[str]:
        """Tags usable as versions (one URL segment each), highest version first."""
        return list(self.tag_commits())

    def tag_commits(self) -> dict[str, str]:
        """Tags usable as versions and the commit each names, highest version first (one ``git`` call)."""
        # What each tag points at (a lightweight tag) or peels to (an annotated one): only a commit has
        # files; a tag of a tree or a blob is no version.
        fmt = "%(objecttype) %(objectname) %(*objecttype) %(*objectname) %(refname:strip=2)"
        out = _git(self.root, "for-each-ref", "--sort=-v:refname", f"--format={fmt}", "refs/tags")
        if out is None:
            return {}
        tags: dict[str, str] = {}
        for line in out.decode("utf-8", "replace").splitlines():
            kind, name, peeled, peeled_name, tag = [*line.split(" ", 4), "", "", "", ""][:5]
            if (peeled or kind) != "commit":
                if tag:
                    logger.warning(
                        "Skipping tag %s of %s: it points at a %s, not a commit", tag, self.root, peeled or kind
                    )
                continue
            tag = tag.strip()
            try:
                LibraryId.parse(f"/x/y/{tag}")
            except InvalidInputError:
                continue
            if tag and "/" not in tag and "@" not in tag:
                tags[tag] = peeled_name or name
        return tags

    def commit_of(self, tag: str) -> str | None:
        """The commit a tag points to, or None when there is no such tag."""
        out = _git(self.root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"refs/tags/{tag}^{{commit}}")
        return out.decode().strip() if out else None

    def branch(self) -> str | None:
        """The checked-out branch name, if any."""
        out = _git(self.root, "rev-parse", "--abbrev-ref", "HEAD")
        name = out.decode().strip() if out else ""
        return name if name and name != "HEAD" else None

    def files_at(self, commit: str, *, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES) -> list[SourceFile]:
        """The Markdown files under the folder at ``commit``, paths relative to the folder."""
        args = ["ls-tree", "-r", "-z", "-l", "--full-tree", commit]
        if self.prefix:
            args += ["--", self.prefix.rstrip("/")]
        listing = _git(self.root, *args)
        if listing is None:
            return []
        wanted: list[tuple[str, str]] = []
        for entry in listing.split(b"\0"):
            if not entry:
                continue
            meta, _, raw_path = entry.partition(b"\t")
            parts = meta.split()
            path = raw_path.decode("utf-8", "replace")
            if len(parts) != 4 or parts[1] != b"blob" or parts[0] == b"120000":
                continue  # trees, submodules and symlinks are not followed
            relative = path[len(self.prefix) :] if self.prefix else path
            if not _is_markdown(relative) or any(p.startswith(".") or p in SKIPPED_DIRS for p in relative.split("/")):
                continue
            size = int(parts[3]) if parts[3].isdigit() else 0
            if size > max_file_bytes:
                logger.warning("Skipping %s at %s: %d bytes is over the limit", relative, commit[:12], size)
                continue
            wanted.append((parts[2].decode(), relative))
        if not wanted:
            return []
        batch = _git(self.root, "cat-file", "--batch", stdin="".join(f"{sha}\n" for sha, _ in wanted).encode())
        if batch is None:
            return []
        files = []
        pos = 0
        for _sha, relative in wanted:
            header_end = batch.index(b"\n", pos)
            header = batch[pos:header_end].split()
            size = int(header[2]) if len(header) == 3 else 0
            data = batch[header_end + 1 : header_end + 1 + size]
            pos = header_end + 1 + size + 1
            text = decode_markdown(data, f"{relative}@{commit[:12]}")
            if text is not None:
                files.append(SourceFile(relative, text))
        files.sort(key=lambda f: f.path)
        return files
