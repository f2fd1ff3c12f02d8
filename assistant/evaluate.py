"""Eval runner (placeholder until the eval issue lands)."""


def register_cli(sub) -> None:
    pass
