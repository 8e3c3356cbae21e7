"""Who a name in a chat sentence refers to: the member's display name as the chat shows it.

Owners are written the way people talk ("小君", "Sam", "@dan"); the summary names them the
way the chat does ("副團長-小君", "sam", "dan") so an operator can find and @-mention them.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from copilot.text import fold_chinese

# "Brisk [Mod]" and "Theo (Pixel Forge)" are written "@Brisk Mod" once markup is gone
_SEPARATORS = re.compile(r"[\s._\-·|｜/\[\]()（）【】]+")


def _parts(name: str) -> list[str]:
    return [p for p in _SEPARATORS.split(fold_chinese(name).lstrip("@＠")) if p]


def member_named(name: str, people: Collection[str]) -> str | None:
    """The one member `name` refers to: equal after folding script and case, or equal to the
    last part of a display name with a role or place prefix ('小君' → '副團長-小君'), or to its
    first part for English names ('Sam' → 'Sam Lee'), or to a middle one ('Joyce' → '何詠欣 Joyce
    Ho'). None when no one or several match."""
    want = "".join(_parts(name))
    if not want:
        return None
    exact = [p for p in people if "".join(_parts(p)) == want]
    if len(exact) == 1:
        return exact[0]
    if name in exact:  # "Kofi Asante" is listed as written and as a handle ("kofi.asante")
        return name
    found = {p for p in people if (parts := _parts(p)) and want in (parts[-1], parts[0])}
    if not found:  # "何詠欣 Joyce Ho": Hong Kong names put the English given name in the middle,
        # and "城区-昵称-入群年份" group nicknames the name the members call each other by
        found = {
            p
            for p in people
            if (len(want) >= 3 or not want.isascii()) and len(want) >= 2 and want in _parts(p)[1:-1]
        }
    if not found:  # "副团长小君" written without the hyphen: a suffix of the joined name
        found = {
            p for p in people if len(want) >= 2 and "".join(_parts(p)).endswith(want) and p != name
        }
    return next(iter(found)) if len(found) == 1 else None


def as_member(name: str | None, people: Collection[str]) -> str | None:
    """`name` as the chat writes it when it names one member, else as found."""
    if not name:
        return name
    return member_named(name, people) or name.lstrip("@＠")
