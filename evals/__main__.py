"""`python -m evals SUITE...`: the `copilot eval` command, standalone."""

from evals.cli import app

app()
