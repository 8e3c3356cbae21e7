"""Skills: answer, draft, summarize, suggest. Pure functions of their inputs and ports."""
