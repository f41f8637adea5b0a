"""Organization names sort as people look them up (core.collation): the migration that gives
the column its collation keeps the database's counts and search working, and a SQLite backup,
which the sqlite3 shell can no longer check, is checked by ``civicbridge check_backup``."""

import sqlite3

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from civicbridge.core.collation import NAME_COLLATION, compare_names
from civicbridge.directory import selectors
from civicbridge.directory.models import LISTED_COUNT, Organization
from tests.directory.factories import OrganizationFactory

BEFORE = [("directory", "0012_listed_count")]
AFTER = [("directory", "0013_organization_name_collation")]


def _backup(path, names):
    database = sqlite3.connect(path)
    database.create_collation(NAME_COLLATION, compare_names)
    database.execute(f"CREATE TABLE organization (name varchar(300) COLLATE {NAME_COLLATION} NOT NULL)")
    database.execute("CREATE INDEX organization_name ON organization (name)")
    database.executemany("INSERT INTO organization VALUES (?)", [(name,) for name in names])
    database.commit()
    database.close()


def test_check_backup_checks_a_copy_the_sqlite_shell_cannot(tmp_path, capsys):
    path = tmp_path / "backup.sqlite3"
    _backup(path, ["Zeytin", "Çamlık", "Łaskawiec", "Lubin"])

    with pytest.raises(sqlite3.OperationalError, match="no such collation sequence"):
        sqlite3.connect(path).execute("PRAGMA integrity_check").fetchall()
    call_command("check_backup", str(path))

    assert capsys.readouterr().out.strip() == "ok"


def test_check_backup_refuses_what_is_not_a_database(tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("not a database")

    with pytest.raises(CommandError, match="not a database"):
        call_command("check_backup", str(junk))
    with pytest.raises(CommandError, match="No such file"):
        call_command("check_backup", str(tmp_path / "missing.sqlite3"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_collation_s_migration_keeps_the_counts_and_the_search_both_ways(municipality):
    OrganizationFactory(name="Şafak Vakfı", territory=municipality)
    OrganizationFactory(name="Sabah Derneği", territory=municipality)

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    # And on to the latest, whose model the factories below write (later migrations add columns).
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    # The triggers are back: a new entry is counted and found.
    OrganizationFactory(name="Çamlık Köyü", territory=municipality)
    assert LISTED_COUNT.current() == Organization.objects.count()
    assert selectors.listed_count(territory=municipality) == 3
    found = selectors.filter_organizations({"q": "çamlık"}, queryset=selectors.organizations_for_list()).qs
    assert [organization.name for organization in found] == ["Çamlık Köyü"]
    assert list(Organization.objects.filter(territory=municipality).values_list("name", flat=True)) == [
        "Çamlık Köyü", "Sabah Derneği", "Şafak Vakfı",
    ]
