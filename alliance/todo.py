"""The home page's to-do card (待办): what the signed-in user may act on now, a few lines of
each kind, with the total and a link to the fuller list where one exists.

Every line comes from a selector that starts from the user's scope, so nothing of another
school or group shows; which action items the user may report on is the services' rule.
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse

from alliance.selectors import first_rows
from governance import selectors as council_selectors
from members.selectors import applications_awaiting_approval

TODO_SHOWN = 5


@dataclass(frozen=True)
class TodoList:
    """The first lines of one kind of to-do, how many there are, and where to see them all."""

    rows: list
    total: int
    more_url: str = ""

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def _first(rows: QuerySet, more_url: str = "") -> TodoList:
    return TodoList(*first_rows(rows, TODO_SHOWN), more_url)


def todo_card(user, groups: list) -> dict:
    """The 待办 card. Its reads are selectors; the fuller list of a kind is the council page
    when the user sees a single group, the admin for applications."""
    council_ids = council_selectors.council_group_ids(user)
    council = reverse("dashboard:council", args=[groups[0].pk]) if len(groups) == 1 else ""
    lists = {
        "meetings": _first(
            council_selectors.meetings_upcoming_for(user, council_group_ids=council_ids),
            council and f"{council}?status=scheduled#meetings",
        ),
        "votes": _first(council_selectors.resolutions_awaiting_vote(user)),
        "action_items": _first(
            council_selectors.action_items_reportable_by(user, council_group_ids=council_ids),
            council and f"{council}#action-items",
        ),
        "minutes": _first(
            council_selectors.meetings_awaiting_minutes(user, council_group_ids=council_ids),
            council and f"{council}#meetings",
        ),
        "applications": _first(
            applications_awaiting_approval(user),
            reverse("admin:members_membership_changelist") + "?status__exact=applied",
        ),
    }
    return {**lists, "empty": not any(part.total for part in lists.values())}
