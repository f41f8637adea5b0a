"""Django's PostgreSQL backend, whose health check costs no round trip while nothing says the
connection broke (``DATABASES["default"]["ENGINE"]`` where DATABASE_URL names PostgreSQL).

With ``CONN_HEALTH_CHECKS``, Django asks a kept connection ``SELECT 1`` before the first query
of every request: a round trip to the server outside the page's queries, 0.7 ms a request at
national scale under load (4 % of the servers' time in the benchmark's traffic). A server that
ends a connection (a restart, a failover, ``pg_terminate_backend``, an idle timeout) says so
on its socket, with an error message and the end of the stream: while the socket holds
nothing to read and the connection is idle and unbroken, it is usable. Anything else gets
Django's own check.
"""

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if connection.info.transaction_status == TransactionStatus.IDLE and not _has_input(connection.fileno()):
            return True
        return super().is_usable()


def _has_input(fd: int) -> bool:
    """Whether the socket has something to read, or has been closed or failed (never waits)."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI)
    return bool(poller.poll(0))
