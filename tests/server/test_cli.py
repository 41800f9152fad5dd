"""``context7-kit serve`` / ``index`` as registered by ``register_cli``."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from context7_kit.server.cli import ConfigError, register_cli, resolve_config
from context7_kit.server.index import DocsIndex
from context7_kit.server.sources import LibrarySource
from tests.server.conftest import WIDGETS


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="context7-kit")
    register_cli(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


def test_index_command_builds_a_reusable_index(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "idx" / "index.sqlite"
    args = parse("index", "--library", f"/acme/widgets={WIDGETS}", "--index", str(db))
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "/acme/widgets: 33 snippets" in out
    index = DocsIndex([LibrarySource("/acme/widgets", WIDGETS)], db)
    assert index.library("/acme/widgets").total_snippets == 33  # read back without re-parsing


def test_serve_settings_from_config_file_flags_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "server.toml"
    config.write_text(
        f"""
port = 9999
rate_limit = "5/minute"
api_keys = ["from-file"]
[aliases]
"/acme/old" = "/acme/widgets"
[[libraries]]
id = "/acme/widgets"
path = "{WIDGETS}"
title = "Widgets from the file"
"""
    )
    monkeypatch.setenv("C7KIT_SERVER_API_KEYS", "env-one, env-two")
    args = parse(
        "serve", "--config", str(config), "--port", "8123", "--api-key", "flag", "--alias", "/a/b=/acme/widgets"
    )
    settings = resolve_config(args)
    assert settings.port == 8123 and settings.host == "127.0.0.1"
    assert settings.api_keys == ["flag", "env-one", "env-two"]
    assert settings.rate_limit is not None and (settings.rate_limit.requests, settings.rate_limit.period) == (5, 60.0)
    assert settings.aliases == {"/acme/old": "/acme/widgets", "/a/b": "/acme/widgets"}
    assert [s.title for s in settings.libraries] == ["Widgets from the file"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("serve",), "No library to serve"),
        (("serve", "--library", "acme-widgets"), "use the form /acme/widgets=./docs"),
        (("serve", "--library", "/acme/widgets=/no/such/folder"), "does not exist"),
        (("serve", "--library", "/a/b/c=."), "has no version"),
        (("serve", "--config", "/no/such.toml"), "Cannot read config file"),
    ],
)
def test_bad_settings_are_explained(argv: tuple[str, ...], message: str) -> None:
    with pytest.raises((ConfigError, ValueError), match=message):
        resolve_config(parse(*argv))


def test_serve_exits_2_with_a_message_on_bad_settings(capsys: pytest.CaptureFixture[str]) -> None:
    args = parse("serve", "--library", "/acme/widgets=/no/such/folder")
    assert args.func(args) == 2
    assert "does not exist" in capsys.readouterr().err
