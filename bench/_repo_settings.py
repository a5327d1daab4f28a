"""Settings for a bench run from the repository: relative paths anchored at its root."""

from __future__ import annotations

from pathlib import Path

from schemas.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def repo_settings() -> Settings:
    """Settings from the environment, with the cache and model paths anchored at ``ROOT``."""
    settings = Settings()
    return settings.model_copy(
        update={name: anchored(getattr(settings, name)) for name in ("cache_dir", "model_path")}
    )


def anchored(path: Path) -> Path:
    """``path``, relative ones taken from the repository root."""
    return path if path.is_absolute() else ROOT / path
