"""Test helpers for races and lock order, on PostgreSQL (SQLite locks the whole database).

`race` runs two actions at once, the first holding its transaction open until the second
waits for a row it locked (or finishes): only one of two approvals past a cap gets through.

`waits_holding_nothing_else` checks lock order. A deadlock needs two transactions each holding
a row the other waits for. Rather than hope for that interleaving, it holds what one path holds
first, starts the other path in a thread, and once that waits, takes the first path's next row
with NOWAIT: free when the waiting path took nothing out of order, an OperationalError
otherwise.

Both know that a thread waits by asking PostgreSQL (pg_stat_activity), not by giving it a
second: a slow thread would otherwise pass for one that waits.
"""

import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, transaction

PATIENCE = 10  # seconds; a thread still running after this has hung: the test says so

# A race test module's pytestmark: committed transactions, on PostgreSQL only.
ON_POSTGRESQL = [
    pytest.mark.postgres,
    # serialized_rollback: the flush after each test would drop the stages a migration created.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def race(first: Callable, second: Callable) -> dict:
    """Run `first` in a transaction held open while `second` runs in another thread; let the
    first commit once the second waits for a lock or has finished. Returns what each returned
    or raised, and whether the second waited (on a row the first locked)."""
    first_done, release = threading.Event(), threading.Event()
    outcome = {}

    def run_first() -> None:
        try:
            with transaction.atomic():
                outcome["first"] = first()
                first_done.set()
                release.wait(timeout=PATIENCE)
        except Exception as error:  # surfaced in the assertions, not lost in the thread
            outcome["first"] = error
        finally:
            first_done.set()  # also when it failed: the test must not wait for ever
            connection.close()

    holder = threading.Thread(target=run_first)
    holder.start()
    assert first_done.wait(timeout=PATIENCE)
    racer = _start(second, outcome, "second")
    outcome["second_waited"] = _waits_for_a_lock(racer)
    release.set()
    _finish(holder, "first")
    _finish(racer, "second")
    return outcome


def waits_holding_nothing_else(*, hold: Callable, act: Callable, next_lock: Callable):
    """Run `hold` in a transaction, `act` in another thread, then `next_lock` once `act` waits;
    let go. Return what `act` returned, or raise what it raised."""
    outcome = {}
    with transaction.atomic():
        hold()
        acting = _start(act, outcome, "act")
        assert _waits_for_a_lock(acting), "the action did not wait for the rows held"
        next_lock()
    _finish(acting, "act")
    if isinstance(outcome["act"], Exception):
        raise outcome["act"]
    return outcome["act"]


def _start(call: Callable, outcome: dict, name: str) -> threading.Thread:
    def run() -> None:
        try:
            with transaction.atomic():
                outcome[name] = call()
        except Exception as error:  # raised or asserted in the test's thread
            outcome[name] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _waits_for_a_lock(thread: threading.Thread) -> bool:
    """Whether another session on this database waits for a lock before `thread` finishes."""
    deadline = time.monotonic() + PATIENCE
    with connection.cursor() as cursor:
        while thread.is_alive() and time.monotonic() < deadline:
            # Inside a transaction the view is read once and kept, unless cleared.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone():
                return True
            time.sleep(0.02)
    return False


def _finish(thread: threading.Thread, name: str) -> None:
    thread.join(timeout=PATIENCE)
    assert not thread.is_alive(), f"{name} still runs after {PATIENCE} s"
