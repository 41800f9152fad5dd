from __future__ import annotations

import importlib
import subprocess
import sys

import pytest


def test_missing_llama_index_gives_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(sys.modules):
        if name.startswith("context7_kit.integrations.llama_index"):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "llama_index.core", None)

    with pytest.raises(ImportError, match=r'pip install "context7-kit\[llama-index\]"'):
        importlib.import_module("context7_kit.integrations.llama_index")


def test_importing_the_package_does_not_import_llama_index() -> None:
    code = (
        "import sys, context7_kit; "
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('llama_index', 'langchain_core')]; "
        "print(loaded); sys.exit(1 if loaded else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
