"""The embedded PostgreSQL 16 from the pgserver wheel: the default when no ``EFA_DATABASE_URL``
is set, kept in ``<data_dir>/pgdata`` across restarts.

Two things pgserver leaves to us. A ``postmaster.pid`` left by a crash (power cut, ``kill -9``)
names a process that is gone — or, in a container, a PID now reused by another program — and
pgserver would take the server for running; ``start`` removes such a file first. And nothing
restarts a postmaster that died while the registry runs: ``supervise`` watches it from a thread
and starts it again, so the API (which answers 503 meanwhile) recovers without a restart.
"""

from __future__ import annotations

import contextlib
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import structlog

from efa_registry.settings import Settings

log = structlog.get_logger(__name__)

EMBEDDED_DATABASE = "efa_registry"


def _live_postmaster(pid: int, pgdata: Path) -> bool:
    """Whether ``pid`` is a running postgres serving ``pgdata`` (not a zombie, not a reused PID)."""
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE or "postgres" not in process.name():
            return False
        cmdline = " ".join(process.cmdline())
    except (psutil.NoSuchProcess, psutil.ZombieProcess):
        return False
    except psutil.AccessDenied:
        return True  # someone else's postgres: leave it alone
    return str(pgdata) in cmdline or "-D" not in cmdline


class EmbeddedPostgres:
    """PostgreSQL 16 from the pgserver wheel, in ``<data_dir>/pgdata``; kept across restarts."""

    def __init__(self, data_dir: str | Path, database: str = EMBEDDED_DATABASE) -> None:
        self.pgdata = Path(data_dir).expanduser().resolve() / "pgdata"
        self.database = database
        self._server: Any = None
        self._watch: threading.Event | None = None

    def start(self) -> str:
        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        log.info("db.embedded.starting", pgdata=str(self.pgdata))
        self.clear_stale_pid()
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (containers); pgserver copes.
            warnings.simplefilter("ignore")
            import pgserver  # lazily: production with EFA_DATABASE_URL never needs it

            self._server = pgserver.get_server(self.pgdata, cleanup_mode="stop")
        exists = self._server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{self.database}';")
        if "(1 row)" not in exists:
            self._server.psql(f'CREATE DATABASE "{self.database}";')
        return self._server.get_uri(self.database)

    def postmaster_pid(self) -> int | None:
        with contextlib.suppress(OSError, ValueError, IndexError):
            return int((self.pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
        return None

    def alive(self) -> bool:
        pid = self.postmaster_pid()
        return pid is not None and _live_postmaster(pid, self.pgdata)

    def clear_stale_pid(self) -> bool:
        """Remove a ``postmaster.pid`` whose process is gone; True when one was removed."""
        pid = self.postmaster_pid()
        if pid is None or _live_postmaster(pid, self.pgdata):
            return False
        log.warning("db.embedded.stale_pid_removed", pid=pid, pgdata=str(self.pgdata))
        (self.pgdata / "postmaster.pid").unlink(missing_ok=True)
        # The socket's lock file names the dead postmaster too. PostgreSQL tests it with kill(pid, 0),
        # which a zombie passes (a container's init may reap late): it would refuse to start for as
        # long as the zombie stays, and the registry with it.
        for lock in self.pgdata.glob(".s.PGSQL.*.lock"):
            lock.unlink(missing_ok=True)
        return True

    def restart(self) -> None:
        """Start the postmaster again after it died (same data directory, same socket)."""
        self.clear_stale_pid()
        with self._server._lock:
            self._server.ensure_postgres_running()
        log.info("db.embedded.restarted", pid=self.postmaster_pid())

    def supervise(self, interval: float = 1.0) -> None:
        """Watch the postmaster from a daemon thread and restart it when it dies."""
        self._watch = stop = threading.Event()

        def watch() -> None:
            while not stop.wait(interval):
                if self._server is not None and not self.alive():
                    log.error("db.embedded.died", pgdata=str(self.pgdata))
                    try:
                        self.restart()
                    except Exception as exc:  # keep watching: the next round tries again
                        log.error("db.embedded.restart_failed", error=str(exc))

        threading.Thread(target=watch, name="efa-postgres-supervisor", daemon=True).start()

    def stop(self) -> None:
        if self._watch is not None:
            self._watch.set()
        if self._server is not None:
            log.info("db.embedded.stopping", pgdata=str(self.pgdata))
            self._server.cleanup()
            self._server = None


@contextlib.contextmanager
def database_url(settings: Settings, *, supervise: bool = False) -> Iterator[str]:
    """The DSN to use: ``EFA_DATABASE_URL`` or a started embedded server (stopped on exit,
    restarted when it dies if ``supervise``)."""
    if settings.database_url:
        yield settings.database_url
        return
    embedded = EmbeddedPostgres(settings.data_dir)
    try:
        dsn = embedded.start()
        if supervise:
            embedded.supervise()
        yield dsn
    finally:
        embedded.stop()
