"""API keys: random secrets stored as SHA-256 hashes, each bound to one community and one role."""

from copilot.keys.models import KeyInfo, Principal, Role
from copilot.keys.store import KeyStore

__all__ = ["KeyInfo", "KeyStore", "Principal", "Role"]
