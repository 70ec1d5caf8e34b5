"""The content version as PostgreSQL announces it, so a kept page needs no round trip at all.

Every anonymous education page asks for the content version (education/page_cache.py).
Read from the database, or from Redis, that is one round trip per page, and on PostgreSQL
that trip cost a third of a kept page's throughput. Instead each worker process keeps one
extra connection that LISTENs on a channel; every edit moves the number on and NOTIFYs
that channel in its own transaction (`ContentVersionQuerySet.bump`). PostgreSQL sends a
notice only once that transaction commits, and signals the listening sessions before the
editor's COMMIT returns, so by the time an edit's page has answered the editor, the notice
is already on its way to every worker on every host.

A request then costs one non-blocking read of that connection's socket (no round trip):

- a notice since the last request forgets the version, and this request reads the
  database (once per edit per worker) and keeps what it read;
- otherwise the version kept is used, while it is younger than `RECHECK_SECONDS` and no
  scheduled guide has gone live since it was read (time passing changes pages without
  any edit, so without any notice);
- a recheck that finds a version no notice announced (a restored backup, a hand-made
  UPDATE, a connection that died without a word) drops the listening connection, which
  is made again on the next request;
- with no listening connection (SQLite, not yet connected, PostgreSQL restarted, the
  connection refused) every request reads the database, as it did before; a refused
  connection is tried again at most once every `RETRY_SECONDS`.

Reads inside a transaction always go to the database (see ContentVersionQuerySet.current).
The one extra connection per worker process counts against PostgreSQL's
`max_connections`, and LISTEN needs a session of its own: a pooler in transaction mode
(PgBouncer's default) cannot carry it, so point DATABASE_URL past such a pooler or turn
this off with CONTENT_VERSION_LISTEN=0.
"""

import datetime
import logging
import os
import threading
import time
from contextlib import suppress
from dataclasses import dataclass, field

import psycopg
from django.conf import settings
from django.db import connections
from django.utils import timezone
from psycopg.pq import ConnStatus

logger = logging.getLogger(__name__)

CHANNEL = "content_version"
# How long a version learned without a notice is trusted: it bounds how long a change no
# notice announced (a restore, a half-open connection) can go unseen, at one read a second
# per worker, which no benchmark can see.
RECHECK_SECONDS = 1.0
RETRY_SECONDS = 1.0


@dataclass
class Known:
    """What a request learned: the version if it can be trusted, and the ticket to keep a
    version read from the database with (`Listener.remember`)."""

    version: str | None
    ticket: int | None


def _number(version: str) -> str:
    return version.split("-", 1)[0]


@dataclass
class Listener:
    """One process's listening connection to one database, and the version it vouches for."""

    alias: str
    lock: threading.Lock = field(default_factory=threading.Lock)
    connection: psycopg.Connection | None = None
    pid: int = 0
    version: str | None = None  # trusted until recheck_at and next_publication
    recheck_at: float = 0.0  # time.monotonic()
    next_publication: datetime.datetime | None = None
    # The last number read from the database while listening, and whether a notice came
    # since: a number that moved with no notice means notices are not reaching us.
    last_number: str | None = None
    noticed: bool = False
    # Moves on with every notice: a version read before a notice arrived is not kept.
    generation: int = 0
    retry_at: float = 0.0
    # The server's last word before it closes a connection (a restart, a terminated
    # backend) arrives as a FATAL notice, a read before the socket itself reports it.
    closing: bool = False

    def known(self) -> Known:
        with self.lock:
            if not self._listening():
                return Known(None, None)
            pgconn = self.connection.pgconn  # type: ignore[union-attr]
            try:
                pgconn.consume_input()  # what the socket holds, without waiting
                while pgconn.notifies() is not None:
                    self.version = None
                    self.noticed = True
                    self.generation += 1
                if self.closing or pgconn.status != ConnStatus.OK:
                    raise psycopg.OperationalError("the server closed the listening connection")
            except psycopg.Error as error:
                logger.warning("Content version: listening connection lost (%s)", error)
                self._drop()
                return Known(None, None)
            if (
                self.version is not None
                and time.monotonic() < self.recheck_at
                and (self.next_publication is None or timezone.now() < self.next_publication)
            ):
                return Known(self.version, self.generation)
            return Known(None, self.generation)

    def remember(
        self, version: str, next_publication: datetime.datetime | None, ticket: int
    ) -> None:
        """Keep `version`, read from the database after `known()` gave `ticket`."""
        with self.lock:
            if self.connection is None or ticket != self.generation:
                return  # a notice came in meanwhile: the next request reads again
            if (
                self.last_number is not None
                and _number(version) != self.last_number
                and not self.noticed
            ):
                # A restored backup, a hand-made UPDATE, or a connection that died without a
                # word: trust nothing until listening again.
                logger.warning("Content version moved without a notice; listening again")
                self._drop()
                return
            self.version = version
            self.last_number = _number(version)
            self.noticed = False
            self.next_publication = next_publication
            self.recheck_at = time.monotonic() + RECHECK_SECONDS

    def forget(self) -> None:
        """Trust nothing read so far (tests: a flushed database moves no notice)."""
        with self.lock:
            self.version = self.last_number = None

    def close(self) -> None:
        with self.lock:
            self._drop()

    def _listening(self) -> bool:
        if self.connection is not None and self.pid != os.getpid():
            self._drop()  # a forked child: the parent's connection, left alone
        if self.connection is not None:
            return True
        if time.monotonic() < self.retry_at:
            return False
        self.retry_at = time.monotonic() + RETRY_SECONDS
        try:
            connection = psycopg.connect(
                **connections[self.alias].get_connection_params(), autocommit=True
            )
        except psycopg.Error as error:
            logger.warning("Content version: cannot listen (%s); reading the database", error)
            return False
        # Anything known before this connection listened may have missed a notice.
        self._drop()
        self.connection, self.pid = connection, os.getpid()
        try:
            connection.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as error:
            logger.warning("Content version: cannot listen (%s); reading the database", error)
            self._drop()
            return False
        connection.add_notice_handler(self._on_notice)
        return True

    def _on_notice(self, notice: psycopg.errors.Diagnostic) -> None:
        if notice.severity_nonlocalized in {"FATAL", "PANIC"}:
            self.closing = True

    def _drop(self) -> None:
        """Trust nothing learned so far; close the connection unless a parent process owns it."""
        if self.connection is not None and self.pid == os.getpid():
            with suppress(psycopg.Error):
                self.connection.close()
        self.connection = None
        self.closing = False
        self.version = self.last_number = None
        self.noticed = False
        self.generation += 1


_listeners: dict[str, Listener] = {}
_registry_lock = threading.Lock()


def listener(alias: str) -> Listener | None:
    """This process's listener for the database `alias`, or None where there is none."""
    if not settings.CONTENT_VERSION_LISTEN or connections[alias].vendor != "postgresql":
        return None
    if (found := _listeners.get(alias)) is None:
        with _registry_lock:
            found = _listeners.setdefault(alias, Listener(alias))
    return found


def notify(alias: str) -> None:
    """Tell every listener the version moved, once the current transaction commits."""
    connection = connections[alias]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"NOTIFY {CHANNEL}")


def close_all() -> None:
    for found in list(_listeners.values()):
        found.close()


def forget_all() -> None:
    for found in list(_listeners.values()):
        found.forget()
