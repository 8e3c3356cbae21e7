"""The platform registry: every module in ``connectors.platforms`` is one platform.

Everything that lists platforms derives from here: the webhook routes (``copilot.api``), the
settings (``ConnectorSettings``), the CLI's ``--platform`` choices and the test matrix.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from functools import cache

import httpx

from connectors import platforms
from connectors.base import Connector
from connectors.settings import PlatformSettings


def platform_names() -> list[str]:
    """The registered platforms, sorted; cheap (lists modules without importing them)."""
    return sorted(
        m.name for m in pkgutil.iter_modules(platforms.__path__) if not m.name.startswith("_")
    )


@cache
def connector_classes() -> dict[str, type[Connector]]:
    """Platform name → its Connector class (imports every platform module once)."""
    classes: dict[str, type[Connector]] = {}
    for name in platform_names():
        module = importlib.import_module(f"{platforms.__name__}.{name}")
        found = [
            c
            for c in vars(module).values()
            if inspect.isclass(c)
            and issubclass(c, Connector)
            and c.__module__ == module.__name__
            and not inspect.isabstract(c)
        ]
        if len(found) != 1 or getattr(found[0], "platform", None) != name:
            raise TypeError(
                f"{module.__name__} must define exactly one Connector with platform = {name!r}"
            )
        classes[name] = found[0]
    return classes


class ConnectorSettings:
    """The settings of every registered platform, by name (``settings.slack``); each read
    from ``COPILOT_<PLATFORM>_*`` unless given."""

    def __init__(self, **given: PlatformSettings) -> None:
        classes = connector_classes()
        unknown = set(given) - set(classes)
        if unknown:
            raise ValueError(f"unknown platforms: {', '.join(sorted(unknown))}")
        self.platforms: dict[str, PlatformSettings] = {
            name: given.get(name) or cls.settings_model()  # type: ignore[call-arg]  # from env
            for name, cls in classes.items()
        }

    def __getattr__(self, name: str) -> PlatformSettings:
        try:
            platforms: dict[str, PlatformSettings] = self.__dict__["platforms"]
            return platforms[name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self) -> str:
        return f"ConnectorSettings({self.platforms!r})"


def build_connectors(
    settings: ConnectorSettings | None = None, http: httpx.AsyncClient | None = None
) -> dict[str, Connector]:
    """Connectors keyed by platform name, for every platform whose required secrets are set.

    A platform with only some of its secrets set is a configuration mistake: raise with the
    names of the missing variables instead of silently running without it.
    """
    s = settings or ConnectorSettings()
    built: dict[str, Connector] = {}
    for name, cls in connector_classes().items():
        platform = s.platforms[name]
        if platform.enabled:
            built[name] = cls(platform, http)
        elif platform.configured:
            raise ValueError(
                f"{name} is partly configured; missing: {', '.join(platform.missing())}"
            )
    return built
