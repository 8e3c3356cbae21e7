"""HTTP API (FastAPI): thin routes over the Copilot facade."""

from copilot.api.app import create_app

__all__ = ["create_app"]
