"""Errors the `portals` command reports in one line (kept apart so the CLI imports them cheaply)."""


class DistributedError(Exception):
    """Redis cannot be reached, or there is no distributed run to join."""
