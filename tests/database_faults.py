"""A sick database, made on purpose, for the outage tests (HTTP and browser)."""

from django.db import OperationalError
from django.db.backends.utils import CursorWrapper


def refuse_writes(monkeypatch) -> None:
    """The database answers reads but every write fails, as when its disk is full."""
    real_execute = CursorWrapper.execute

    def execute(self, sql, params=None):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE")):
            raise OperationalError("could not extend file: No space left on device")
        return real_execute(self, sql, params)

    monkeypatch.setattr(CursorWrapper, "execute", execute)
