"""Alembic, driven from code: every pending migration in one transaction.

Imported only when a file actually needs migrating, so a normal start does not pay for Alembic.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from send_desktop.paths import migrations_path


def alembic_config(connection=None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_path()))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine, target: str) -> None:
    # Our transaction, not Alembic's: it commits only when every step (and env.py's crash
    # checkpoint) is through, so a crash anywhere leaves the file as it was.
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), target)
