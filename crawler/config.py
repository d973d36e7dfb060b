"""Runtime configuration from the environment (CLI flags are written into it before use)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Config:
    registry: Path
    mongo_uri: str | None  # None: use the embedded store under data_dir
    db_name: str
    data_dir: Path

    @classmethod
    def from_env(cls) -> Config:
        return cls(
            registry=Path(os.environ.get("PORTALS_REGISTRY") or "portals.yaml"),
            mongo_uri=os.environ.get("MONGO_URI") or None,
            db_name=os.environ.get("PORTALS_DB") or "portals",
            data_dir=Path(os.environ.get("PORTALS_DATA_DIR") or "data"),
        )
