"""What the fault and hostile-server tests share: the fault server, and both kinds of client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.robustness import faultserver as fs


@pytest.fixture
def server() -> Iterator[fs.FaultServer]:
    with fs.FaultServer() as srv:
        yield srv


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)
