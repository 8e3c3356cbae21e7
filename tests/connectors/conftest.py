"""Fixtures for connector tests: the fake platform server and a DNS guard.

The root conftest already refuses non-loopback ``connect``; here name resolution is refused
too, so a connector pointed at a real host name fails fast instead of touching DNS.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from tests.connectors.fake_platform import FakePlatform

_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
_real_getaddrinfo = socket.getaddrinfo


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    name = host.decode() if isinstance(host, bytes) else host
    if name is not None and str(name) not in _LOOPBACK_NAMES:
        raise RuntimeError(f"connector tests must not resolve {name!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.fixture(autouse=True)
def no_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", _guarded_getaddrinfo)


@pytest.fixture
def fake_platform() -> Iterator[FakePlatform]:
    """A running fake of all six platform APIs; ``.url``, ``.requests``, ``.respond()``."""
    fake = FakePlatform().start()
    yield fake
    fake.stop()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield client
