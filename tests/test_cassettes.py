"""Recordings never hold a secret, and carry no noisy headers that churn on re-record."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.conftest import CASSETTES, NOISY_HEADERS, RECORDING_KEY

CASSETTE_FILES = sorted(CASSETTES.rglob("*.yaml"))
SECRET = re.compile(r"ctx7sk[A-Za-z0-9_-]{4,}|Bearer\s+\S+", re.IGNORECASE)


def test_there_are_recordings() -> None:
    assert len(CASSETTE_FILES) >= 10


@pytest.mark.parametrize("path", CASSETTE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_cassette_holds_no_key_and_no_noise(path: object) -> None:
    text = path.read_text(encoding="utf-8")  # type: ignore[attr-defined]
    assert not SECRET.search(text)
    if RECORDING_KEY != "test-key":
        assert RECORDING_KEY not in text
    data = yaml.safe_load(text)
    for interaction in data["interactions"]:
        request_headers = {k.lower() for k in interaction["request"]["headers"]}
        response_headers = {k.lower() for k in interaction["response"]["headers"]}
        assert "authorization" not in request_headers
        assert not request_headers & {"cookie", "host", "user-agent"}
        assert not response_headers & set(NOISY_HEADERS)
