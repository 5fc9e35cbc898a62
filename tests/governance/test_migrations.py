"""Data migrations that change what an existing deployment's users may do."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from alliance.services import BUREAU_GROUP_NAME

BEFORE = ("governance", "0007_change_history_names")
GRANT = ("governance", "0008_bureau_reads_action_items")


def migrate_to(*targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(list(targets) or executor.loader.graph.leaf_nodes())


@pytest.fixture
def latest_after():
    yield
    migrate_to()  # every app at its newest migration again, for the tests that follow


# Migrations run outside a test's transaction; the data migrations' rows come back afterwards.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_existing_bureau_role_is_granted_to_read_action_items(latest_after):
    migrate_to(BEFORE)
    bureau = Group.objects.create(name=BUREAU_GROUP_NAME)
    migrate_to(GRANT)
    codenames = set(bureau.permissions.values_list("codename", flat=True))
    assert {"view_actionitem", "view_progressnote"} <= codenames


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_existing_bureau_role_is_granted_to_keep_accounts(latest_after):
    migrate_to(("alliance", "0006_member_cap_validator"))
    bureau = Group.objects.create(name=BUREAU_GROUP_NAME)
    migrate_to(("alliance", "0007_bureau_keeps_accounts"))
    codenames = set(bureau.permissions.values_list("codename", flat=True))
    assert {"view_user", "add_user", "change_user"} <= codenames
