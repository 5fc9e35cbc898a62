"""The idempotent-task pattern every Celery task follows (alliance/tasks.py)."""

import pytest
from celery import shared_task
from django.contrib.auth.models import Group

from alliance.models import TaskRun
from alliance.tasks import Interrupted, checkpoint, interrupting_at, run_once
from tests.task_delivery import interrupted_then_redelivered

pytestmark = pytest.mark.django_db


@shared_task(name="tests.make_two_rows")
def make_two_rows(name: str) -> str:
    """An effect of two rows, with an interruption point between them."""
    with run_once(f"make_two_rows:{name}", "tests.make_two_rows") as first:
        if not first:
            return "skipped"
        Group.objects.create(name=f"{name}-1")
        checkpoint("between rows")
        Group.objects.create(name=f"{name}-2")
        return "done"


def test_a_task_interrupted_mid_run_and_redelivered_has_its_effect_once():
    result = interrupted_then_redelivered(
        make_two_rows, "报告", checkpoint="between rows", deliveries=3
    )
    assert result == "skipped"
    assert sorted(Group.objects.filter(name__startswith="报告").values_list("name", flat=True)) == [
        "报告-1",
        "报告-2",
    ]
    assert TaskRun.objects.filter(key="make_two_rows:报告").count() == 1


def test_the_interrupted_delivery_leaves_nothing_behind():
    with interrupting_at("between rows"), pytest.raises(Interrupted):
        make_two_rows.apply(args=["半途"], throw=True)
    assert not Group.objects.filter(name__startswith="半途").exists()
    assert not TaskRun.objects.exists()
