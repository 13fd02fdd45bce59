"""Settings: database URL, paths and CRSs, from the environment or the CLI; no I/O at import."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_DATABASE_URL = "KCN_DATABASE_URL"
ENV_DATA_DIR = "KCN_DATA_DIR"
ENV_CONFIG_DIR = "KCN_CONFIG_DIR"

#: Storage CRS (WGS 84) and the metric CRS for areas and distances (VN-2000 / UTM 49N).
STORAGE_CRS = "EPSG:4326"
METRIC_CRS = "EPSG:3406"
#: Province bounding box (lon/lat) used to refuse swapped or metre coordinates.
PROVINCE_BBOX = (108.5, 11.3, 109.5, 12.9)


def _per_user_dir(override_env: str, windows_env: str, windows_default: str, xdg_env: str, xdg_default: str) -> Path:
    """``$override_env``, else the platform's per-user folder (Windows, macOS, XDG) + "kcn-tracker"."""
    override = os.environ.get(override_env)
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get(windows_env, Path.home() / windows_default))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get(xdg_env, Path.home() / xdg_default))
    return base / "kcn-tracker"


def user_data_dir() -> Path:
    """Per-user data folder: %LOCALAPPDATA%, ~/Library/Application Support or $XDG_DATA_HOME."""
    return _per_user_dir(ENV_DATA_DIR, "LOCALAPPDATA", "AppData/Local", "XDG_DATA_HOME", ".local/share")


def user_config_dir() -> Path:
    """Per-user settings folder (the report settings): %APPDATA%, ~/Library/Application Support or $XDG_CONFIG_HOME."""
    return _per_user_dir(ENV_CONFIG_DIR, "APPDATA", "AppData/Roaming", "XDG_CONFIG_HOME", ".config")


def default_database_url() -> str:
    """The embedded SQLite database in the per-user data folder."""
    return f"sqlite:///{user_data_dir() / 'kcn.sqlite'}"


def database_url(explicit: str | None = None) -> str:
    """``--db`` if given, else ``KCN_DATABASE_URL``, else the embedded SQLite file."""
    return explicit or os.environ.get(ENV_DATABASE_URL) or default_database_url()


def bundled_data_dir() -> Path:
    """The bundled register: ``data/`` of a source checkout, or the copy inside a wheel."""
    package_dir = Path(__file__).resolve().parent
    inside_wheel = package_dir / "_bundled_data"
    if inside_wheel.is_dir():
        return inside_wheel
    return package_dir.parent / "data"
