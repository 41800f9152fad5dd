"""The integration is an extra: the core never imports LangChain, and a missing extra says how to install it."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60, check=False
    )


def test_importing_the_package_does_not_import_langchain() -> None:
    result = _run(
        """
        import sys
        import context7_kit
        loaded = sorted(m for m in sys.modules if m.startswith(("langchain", "context7_kit.integrations.")))
        assert not loaded, loaded
        """
    )
    assert result.returncode == 0, result.stderr


def test_missing_langchain_core_explains_the_extra() -> None:
    result = _run(
        """
        import sys
        sys.modules["langchain_core"] = None  # as if langchain-core were not installed
        try:
            from context7_kit.integrations.langchain import Context7Toolkit
        except ImportError as exc:
            print(exc)
        else:
            raise SystemExit("imported without langchain-core")
        """
    )
    assert result.returncode == 0, result.stderr
    assert 'pip install "context7-kit[langchain]"' in result.stdout


def test_public_names() -> None:
    import context7_kit.integrations.langchain as lc

    assert set(lc.__all__) >= {"Context7ResolveLibraryTool", "Context7DocsTool", "Context7Toolkit", "Context7Retriever"}
    for name in lc.__all__:
        assert getattr(lc, name).__doc__
