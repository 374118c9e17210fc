"""Where riskdesk keeps its data, configuration and backups (platformdirs)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "riskdesk"
APP_AUTHOR = "riskdesk"


def data_dir() -> Path:
    """The user data folder; ``RISKDESK_DATA_DIR`` overrides it (tests, portable installs)."""
    override = os.environ.get("RISKDESK_DATA_DIR")
    if override:
        path = Path(override)
    else:
        from platformdirs import user_data_path

        path = user_data_path(APP_NAME, APP_AUTHOR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    override = os.environ.get("RISKDESK_CONFIG_DIR")
    if override:
        path = Path(override)
    else:
        from platformdirs import user_config_path

        path = user_config_path(APP_NAME, APP_AUTHOR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def settings_file() -> Path:
    """The preferences and window state (an INI file, written through QSettings)."""
    return config_dir() / "riskdesk.ini"


def cache_dir() -> Path:
    """The user cache folder (what can be rebuilt: parsed fonts); ``RISKDESK_CACHE_DIR`` overrides it."""
    override = os.environ.get("RISKDESK_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, APP_AUTHOR)


def write_whole(where: Path, *parts: bytes) -> None:
    """Write ``parts`` to ``where`` whole or not at all, whoever else is writing it: into a new
    file beside it that only its owner can read, then renamed over it. Raises ``OSError``."""
    import tempfile

    where.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=where.parent, prefix=".writing-")
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                out.write(part)
        os.replace(temporary, where)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def backup_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    return data_dir() / "riskdesk.sqlite"


def resource_path(*parts: str) -> Path:
    """A file shipped inside the package (or inside a PyInstaller bundle)."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    return base.joinpath("riskdesk", "resources", *parts)


def database_url(explicit: str | None = None) -> str:
    """``--database`` beats ``RISKDESK_DATABASE_URL`` beats the SQLite file in the data folder."""
    url = explicit or os.environ.get("RISKDESK_DATABASE_URL") or ""
    if not url:
        return f"sqlite:///{default_database_path()}"
    if "://" not in url:  # a plain file path
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url
