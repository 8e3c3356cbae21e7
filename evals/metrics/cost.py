"""Token cost in USD from recorded usage.

Prices change; the table below is a convenience (USD per 1M tokens, input/output, list prices
as published by the vendors in 2025) and any entry can be overridden with a YAML/JSON file
named by COPILOT_EVAL_PRICES: `{model: [input_per_million, output_per_million]}`. Offline and
local models cost 0; an unknown model costs 0 and is reported as unpriced.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import yaml

DEFAULT_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "deepseek-chat": (0.27, 1.10),
    "qwen-plus": (0.40, 1.20),
    "moonshot-v1-8k": (0.17, 0.17),
}
FREE_PREFIXES = ("offline", "fake", "llamacpp", "local", "smollm")


@lru_cache(maxsize=1)
def price_table() -> dict[str, tuple[float, float]]:
    table = dict(DEFAULT_PRICES)
    override = os.environ.get("COPILOT_EVAL_PRICES")
    if override:
        data = yaml.safe_load(Path(override).read_text(encoding="utf-8")) or {}
        table.update({str(k): (float(v[0]), float(v[1])) for k, v in data.items()})
    return table


def cost_usd(model: str, usage: dict[str, int]) -> tuple[float, bool]:
    """(cost, priced): priced is False when the model is not in the table."""
    name = (model or "offline").lower()
    if name.startswith(FREE_PREFIXES):
        return 0.0, True
    table = price_table()
    longest_first = sorted(table.items(), key=lambda kv: -len(kv[0]))
    prices = table.get(name) or next((v for k, v in longest_first if name.startswith(k)), None)
    if prices is None:
        return 0.0, False
    p_in, p_out = prices
    tokens_in = usage.get("prompt_tokens", 0)
    tokens_out = usage.get("completion_tokens", 0)
    return (tokens_in * p_in + tokens_out * p_out) / 1_000_000, True
