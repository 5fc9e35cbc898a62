"""How every Celery task in this project stays idempotent.

Tasks are acknowledged late (CELERY_TASK_ACKS_LATE), so a worker that dies mid-run has its
task delivered again. A task therefore wraps its effect in `run_once(key)`: the effect and a
TaskRun marker commit in one transaction. Interrupted before the commit, both roll back and
the redelivery does the work; after the commit, a redelivery finds the marker and skips. Two
deliveries at once serialise on the marker's unique index.

    @shared_task
    def report_render(report_id):
        with run_once(f"report_render:{report_id}", "report_render") as first:
            if first:
                ...  # load by id, call the service, store the result

`checkpoint()` marks a point inside the effect where tests can interrupt the task
(tests/task_delivery.py); it does nothing otherwise.
"""

import contextvars
import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from celery import shared_task
from django.conf import settings
from django.db import IntegrityError, transaction

from alliance import uploads
from alliance.models import TaskRun

_interrupt_at = contextvars.ContextVar("interrupt_at", default=None)


class Interrupted(Exception):
    """Raised at an armed checkpoint: stands for a worker dying mid-run."""


@contextmanager
def run_once(key: str, task: str) -> Iterator[bool]:
    """Yield True the first time `key` runs to commit, False on every later delivery."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                TaskRun.objects.create(key=key, task=task)
        except IntegrityError:
            yield False
            return
        yield True


def checkpoint(name: str) -> None:
    if _interrupt_at.get() == name:
        raise Interrupted(name)


@contextmanager
def interrupting_at(name: str) -> Iterator[None]:
    """Make `checkpoint(name)` raise while the block runs (for tests)."""
    token = _interrupt_at.set(name)
    try:
        yield
    finally:
        _interrupt_at.reset(token)


@shared_task
def uploads_sweep() -> int:
    """Nightly: delete stored files that no row points to. Idempotent as it is (a redelivery
    finds nothing left to delete), so it needs no run_once. A refused sweep
    (uploads.SweepRefused: the database looks wrong) fails the task, not retried: its result
    and the worker's log show why, and nothing was deleted."""
    grace = datetime.timedelta(hours=settings.UPLOAD_ORPHAN_GRACE_HOURS)
    return len(uploads.orphans_sweep(older_than=grace))
