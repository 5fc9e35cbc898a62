"""The home page's to-do card (待办): what the signed-in user may act on now, a few lines of
each kind, with the total and a link to the fuller list where one exists.

Every line comes from a selector that starts from the user's scope, so nothing of another
school or group shows; which action items the user may report on is the services' rule.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from alliance.models import GroupStatus
from alliance.selectors import first_rows
from governance import selectors as council_selectors
from members.roles import viewer_for
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


def _fuller_lists(user, groups: list) -> dict[str, str]:
    """Where the rest of each kind is: the council page when the user sees a single group; for
    the bureau, which sees them all, the admin's county-wide lists."""
    if len(groups) == 1:
        council = reverse("dashboard:council", args=[groups[0].pk])
        return {
            "meetings": f"{council}?status=scheduled#meetings",
            "action_items": f"{council}#action-items",
            "minutes": f"{council}#meetings",
        }
    if viewer_for(user).is_bureau:
        meetings = reverse("admin:governance_meeting_changelist")
        items = reverse("admin:governance_actionitem_changelist")
        now = timezone.now()
        end = council_selectors.upcoming_until(now)
        active = {"group__status__exact": GroupStatus.ACTIVE}
        return {
            "meetings": meetings
            + _query(active, status__exact="scheduled", starts_at__gte=now, starts_at__lt=end),
            "action_items": items
            + _query(
                {"resolution__meeting__group__status__exact": GroupStatus.ACTIVE},
                done_on__isempty=1,
            ),
            "minutes": meetings + _query(active, status__in="scheduled,closed", starts_at__lt=now),
        }
    return {}


def _query(fixed: dict, **params) -> str:
    """An admin list's filters, as the card's selectors apply them; times to the minute, in
    the site's time zone."""
    for name, value in params.items():
        if isinstance(value, datetime.datetime):
            params[name] = timezone.localtime(value).isoformat(timespec="minutes")
    return "?" + urlencode(params | fixed)


def todo_card(user, groups: list) -> dict:
    """The 待办 card. Its reads are selectors; each kind links to its fuller list, where one
    exists: see _fuller_lists, and the admin for applications. Each line links to where it is
    acted on: a resolution's vote, a meeting's minutes, an application's school page."""
    council_ids = council_selectors.council_group_ids(user)
    fuller = _fuller_lists(user, groups)
    lists = {
        "meetings": _first(
            council_selectors.meetings_upcoming_for(user, council_group_ids=council_ids),
            fuller.get("meetings", ""),
        ),
        "votes": _first(council_selectors.resolutions_awaiting_vote(user)),
        "action_items": _first(
            council_selectors.action_items_reportable_by(user, council_group_ids=council_ids),
            fuller.get("action_items", ""),
        ),
        "minutes": _first(
            council_selectors.meetings_awaiting_minutes(user, council_group_ids=council_ids),
            fuller.get("minutes", ""),
        ),
        "applications": _first(
            applications_awaiting_approval(user),
            reverse("admin:members_membership_changelist") + "?status__exact=applied",
        ),
    }
    return {
        **lists,
        "empty": not any(part.total for part in lists.values()),
        # Officers follow up on items other schools own; owners report on their own.
        "follows_up": bool(council_ids),
    }
