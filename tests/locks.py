"""Test helper for lock order: does an action that must wait hold a row another path needs?

A deadlock needs two transactions each holding a row the other waits for. Rather than hope
for that interleaving, `waits_holding_nothing_else` holds what one path holds first, starts
the other path in a thread, and once it waits, takes the first path's next row with NOWAIT:
free when the waiting path took nothing out of order, an OperationalError otherwise.
"""

import threading
from collections.abc import Callable

from django.db import connection, transaction


def waits_holding_nothing_else(*, hold: Callable, act: Callable, next_lock: Callable):
    """Run `hold` in a transaction, `act` in another thread, then `next_lock` while `act`
    waits; let go. Return what `act` returned, or raise what it raised."""
    outcome = {}

    def run() -> None:
        try:
            with transaction.atomic():
                outcome["act"] = act()
        except Exception as error:  # raised in the test's thread, below
            outcome["act"] = error
        finally:
            connection.close()

    with transaction.atomic():
        hold()
        acting = threading.Thread(target=run)
        acting.start()
        acting.join(timeout=1)
        assert acting.is_alive(), "the action did not wait for the rows held"
        next_lock()
    acting.join(timeout=10)
    if isinstance(outcome["act"], Exception):
        raise outcome["act"]
    return outcome["act"]
