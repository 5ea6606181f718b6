"""One typed settings object, read from the environment (names fixed by design.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Settings:
    home: Path
    database_url: str
    #: largest request body the web layer accepts, refused before it is read whole
    max_body_bytes: int = 2 * 1024 * 1024
    #: largest depositary status file the importer accepts
    max_status_file_bytes: int = 64 * 1024 * 1024
    #: the shipped INVENTED example profiles, policy packs, requests and hypothetical status
    examples_dir: Path = Path(__file__).resolve().parents[2] / "examples"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def ensure_home(self) -> Path:
        """Create the data directory, readable by its owner only when TreatyDesk creates it
        (it holds the database with password hashes and case data); an existing directory's
        permissions are the operator's choice and left alone."""
        if not self.home.exists():
            self.home.mkdir(parents=True, mode=0o700)
            self.home.chmod(0o700)  # mkdir's mode is narrowed by the umask, never widened
        return self.home


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    home = Path(env.get("TREATYDESK_HOME") or (Path.cwd() / "var")).resolve()
    url = env.get("TREATYDESK_DATABASE_URL") or f"sqlite:///{home / 'treatydesk.sqlite3'}"
    examples = env.get("TREATYDESK_EXAMPLES")
    if examples:
        return Settings(home=home, database_url=url, examples_dir=Path(examples).resolve())
    return Settings(home=home, database_url=url)
