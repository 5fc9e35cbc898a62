"""Test helper for Celery tasks: deliver one interrupted mid-run, then redeliver it."""

from alliance.tasks import Interrupted, interrupting_at


def interrupted_then_redelivered(task, *args, checkpoint: str, deliveries: int = 2, **kwargs):
    """Run `task` (eagerly, as its worker would) with `checkpoint` failing, then `deliveries`
    more times normally, as late acknowledgement redelivers it. Return the last result."""
    with interrupting_at(checkpoint):
        try:
            task.apply(args=args, kwargs=kwargs, throw=True)
        except Interrupted:
            pass
        else:
            raise AssertionError(f"{task.name} never reached checkpoint {checkpoint!r}")
    result = None
    for _ in range(deliveries):
        result = task.apply(args=args, kwargs=kwargs, throw=True).get()
    return result
