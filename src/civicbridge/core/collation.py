"""Names in the order people look them up: a collation the database sorts them with.

A list sorted byte by byte puts every name that starts with Ç, İ, Ö, Ş, Ü or Ł after Z. A
column that holds names people browse in order declares ``db_collation=NAME_COLLATION``.
On PostgreSQL it is ICU's root collation (accented letters beside their base letters, ``ł``
after ``l``), made by a migration of this app; the column's indexes follow it too. SQLite has
no such collation: each connection is given one of the same name, which folds a name as the
menus do (``core.countries.sort_key``). SQLite's own shell does not know it and refuses to
check such a file: ``civicbridge check_backup`` checks a backup with it.
"""

from django.db.backends.signals import connection_created

from .countries import sort_key

NAME_COLLATION = "civicbridge_names"  # a bare name: SQLite's schema editor does not quote it


def compare_names(left: str, right: str) -> int:
    # The folded names first; the names themselves break ties, so that two different names
    # never compare equal (a collation must be a total order, and equality stays exact).
    left_key, right_key = (sort_key(left), left), (sort_key(right), right)
    return (left_key > right_key) - (left_key < right_key)


def _give_sqlite_the_collation(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_collation(NAME_COLLATION, compare_names)


connection_created.connect(_give_sqlite_the_collation, dispatch_uid="civicbridge-name-collation")
