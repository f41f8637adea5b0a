"""Names in the order people look them up: a collation the database sorts them with.

A list sorted byte by byte puts every name that starts with Ç, İ, Ö, Ş, Ü or Ł after Z. A
column that holds names people browse in order declares ``db_collation=NAME_COLLATION``.
The order is the alphabet of the deployment's own language (``LANGUAGE_CODE``): Polish puts
"Łask" after every name in L, Turkish "Çorum" after every name in C. On PostgreSQL it is ICU's
collation of that language, made by a migration of this app; the column's indexes follow it
too. SQLite has no such collation: each connection is given one of the same name, which orders
names by the same alphabet as the menus do (``core.text.alphabetical_key``). SQLite's own shell does not know it and refuses to
check such a file: ``civicbridge check_backup`` checks a backup with it.
"""

from django.conf import settings
from django.db.backends.signals import connection_created

from .text import alphabetical_key

NAME_COLLATION = "civicbridge_names"  # a bare name: SQLite's schema editor does not quote it
# ICU's rules for the deployment's language: its own letters after their base letters
# (Polish Ł after L, Turkish Ç after C); ICU's root order for any other language.
ICU_LOCALES = {"pl": "pl", "tr": "tr"}


def collation_locale() -> str:
    """The ICU locale of the deployment's own language, which its names are sorted in."""
    return ICU_LOCALES.get(settings.LANGUAGE_CODE.split("-")[0], "und")


def compare_names(left: str, right: str) -> int:
    # The alphabet's order first; the names themselves break ties, so that two different
    # names never compare equal (a collation must be a total order, and equality stays exact).
    language = settings.LANGUAGE_CODE
    left_key, right_key = (alphabetical_key(left, language), left), (alphabetical_key(right, language), right)
    return (left_key > right_key) - (left_key < right_key)


def _give_sqlite_the_collation(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_collation(NAME_COLLATION, compare_names)


connection_created.connect(_give_sqlite_the_collation, dispatch_uid="civicbridge-name-collation")
