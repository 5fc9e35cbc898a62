"""The declared access rule of every route: who may read it, who may write through it.

`tests/test_access_rules.py` walks the URL patterns and fails on a route with no entry here,
so a new page or endpoint cannot ship without saying who may use it. Objects belong to group A
of the `county` fixture; `principal_b1` (group B) is the outsider who must get 404.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from governance import services as council
from governance.models import ActionItem, CouncilSeat, Meeting, Resolution
from members.models import Membership


def _no_args(county) -> list:
    return []


def _no_body(county) -> dict:
    return {}


@dataclass(frozen=True)
class Rule:
    args: Callable = _no_args  # URL arguments, from the County fixture
    readers: frozenset = frozenset()  # roles that GET it with 200
    method: str = "get"  # "post"/"patch" for routes that only write
    writers: frozenset = frozenset()  # roles allowed to write (not exercised: side effects)
    read_only: frozenset = field(default_factory=frozenset)  # roles that see it, 403 on write
    is_list: bool = False
    body: Callable = _no_body  # a valid request body, so refusals are about the role

    @property
    def names_an_object(self) -> bool:
        return self.args is not _no_args


EVERYONE = frozenset({"bureau", "chair", "principal_a1", "teacher_a1"})
BUREAU = frozenset({"bureau"})


def _membership(county):
    return [Membership.objects.get(school=county.a1, group=county.group_a).pk]


def _group(c):
    return [c.group_a.pk]


def _staff(c):
    return [c.teacher_a1.staff.pk]


def _meeting(county):
    meeting = Meeting.objects.filter(group=county.group_a).first() or council.meeting_schedule(
        group=county.group_a,
        kind="council",
        title="理事会议",
        starts_at=timezone.now(),
        place="会议室",
        by=county.chair,
    )
    return [meeting.pk]


def _resolution(county):
    meeting = Meeting.objects.get(pk=_meeting(county)[0])
    resolution = Resolution.objects.filter(meeting=meeting).first()
    return [
        (
            resolution or council.resolution_propose(meeting=meeting, title="动议", by=county.chair)
        ).pk
    ]


def _seat(county):
    seat = CouncilSeat.objects.filter(group=county.group_a).first() or council.seat_assign(
        group=county.group_a,
        role="director",
        holder=county.principal_a1.staff,
        starts_on=timezone.localdate(),
        by=county.bureau,
    )
    return [seat.pk]


def _action_item(county):
    item = ActionItem.objects.filter(resolution__meeting__group=county.group_a).first()
    if item:
        return [item.pk]
    meeting = Meeting.objects.get(pk=_meeting(county)[0])
    resolution = council.resolution_propose(meeting=meeting, title="已通过", by=county.chair)
    Resolution.objects.filter(pk=resolution.pk).update(outcome="passed", decided_at=timezone.now())
    item = ActionItem.objects.create(
        resolution=resolution,
        description="跟进",
        owner_school=county.a1,
        due_on=timezone.localdate(),
    )
    return [item.pk]


def _attachment(county):
    meeting = Meeting.objects.get(pk=_meeting(county)[0])
    attachment = meeting.attachments.first() or council.attachment_add(
        meeting=meeting,
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.7 x"),
        by=county.chair,
    )
    return [attachment.pk]


def _meeting_body(county):
    return {
        "group": county.group_a.pk,
        "kind": "council",
        "title": "x",
        "starts_at": timezone.now().isoformat(),
        "place": "x",
    }


COUNCIL_ACTION = Rule(
    args=_meeting, method="post", read_only=frozenset({"principal_a1"}), writers=BUREAU
)

MEMBERSHIP_ACTION = Rule(
    args=_membership, method="post", read_only=frozenset({"principal_a1"}), writers=BUREAU
)

RULES = {
    # Dashboard pages
    "dashboard:home": Rule(readers=EVERYONE | {"principal_b1"}),
    "dashboard:group-list": Rule(readers=EVERYONE | {"principal_b1"}, is_list=True),
    "dashboard:group-detail": Rule(args=_group, readers=EVERYONE),
    "dashboard:school-detail": Rule(args=lambda c: [c.a1.pk], readers=EVERYONE),
    "dashboard:membership-apply": Rule(
        args=lambda c: [c.a1.pk],
        readers=frozenset({"bureau", "principal_a1"}),
        read_only=frozenset({"chair", "teacher_a1"}),
    ),
    "dashboard:membership-act": Rule(
        args=lambda c: [*_membership(c), "warn"],
        readers=frozenset({"bureau", "chair"}),
        read_only=frozenset({"principal_a1"}),
    ),
    # API
    "api:group-list": Rule(readers=EVERYONE, is_list=True, read_only=frozenset({"chair"})),
    "api:group-detail": Rule(
        args=_group, readers=EVERYONE, read_only=frozenset({"chair", "principal_a1"})
    ),
    "api:group-dissolve": Rule(
        args=_group, method="post", read_only=frozenset({"chair"}), writers=BUREAU
    ),
    "api:school-list": Rule(readers=EVERYONE, is_list=True, read_only=frozenset({"chair"})),
    "api:school-detail": Rule(
        args=lambda c: [c.a1.pk], readers=EVERYONE, read_only=frozenset({"principal_a1"})
    ),
    "api:membership-list": Rule(readers=EVERYONE, is_list=True),
    "api:membership-detail": Rule(
        args=_membership, readers=frozenset({"bureau", "chair", "principal_a1"})
    ),
    "api:membership-approve": MEMBERSHIP_ACTION,
    "api:membership-reject": MEMBERSHIP_ACTION,
    "api:membership-cancel": Rule(
        args=_membership, method="post", read_only=frozenset({"chair"}), writers=BUREAU
    ),
    "api:membership-warn": MEMBERSHIP_ACTION,
    "api:membership-withdraw": Rule(
        args=_membership, method="post", read_only=frozenset({"chair"}), writers=BUREAU
    ),
    # The chair's expulsion is a council motion (000 第十三条): the bureau's action only.
    "api:membership-expel": Rule(
        args=_membership,
        method="post",
        read_only=frozenset({"principal_a1", "chair"}),
        writers=BUREAU,
    ),
    "api:staff-list": Rule(readers=EVERYONE, is_list=True, read_only=frozenset({"chair"})),
    "api:staff-detail": Rule(args=_staff, readers=EVERYONE, read_only=frozenset({"teacher_a1"})),
    "api:api-root": Rule(readers=EVERYONE),
    # Council and meetings: visible with the group; officers run them, principals vote.
    "api:council-seat-list": Rule(
        readers=EVERYONE,
        is_list=True,
        read_only=frozenset({"principal_a1"}),
        body=lambda c: {
            "group": c.group_a.pk,
            "role": "director",
            "holder": c.principal_a1.staff.pk,
            "starts_on": str(timezone.localdate()),
        },
    ),
    "api:council-seat-detail": Rule(args=_seat, readers=EVERYONE),
    "api:council-seat-end": Rule(
        args=_seat, method="post", read_only=frozenset({"principal_a1", "teacher_a1"})
    ),
    "api:meeting-list": Rule(
        readers=EVERYONE, is_list=True, read_only=frozenset({"teacher_a1"}), body=_meeting_body
    ),
    "api:meeting-detail": Rule(args=_meeting, readers=EVERYONE),
    "api:meeting-attendance": Rule(
        args=_meeting,
        method="post",
        read_only=frozenset({"principal_a1"}),
        body=lambda c: {"school": c.a1.pk, "status": "present"},
    ),
    "api:meeting-close": COUNCIL_ACTION,
    "api:meeting-minutes": Rule(
        args=_meeting,
        method="post",
        read_only=frozenset({"principal_a1"}),
        body=lambda c: {"minutes": "x"},
    ),
    "api:meeting-approve-minutes": COUNCIL_ACTION,
    "api:meeting-reschedule": Rule(
        args=_meeting,
        method="post",
        read_only=frozenset({"principal_a1"}),
        body=lambda c: {"starts_at": (timezone.now() + datetime.timedelta(days=7)).isoformat()},
    ),
    "api:meeting-cancel": Rule(
        args=_meeting,
        method="post",
        read_only=frozenset({"principal_a1"}),
        body=lambda c: {"reason": "与县教育局会议冲突"},
    ),
    "api:resolution-list": Rule(
        readers=EVERYONE,
        is_list=True,
        read_only=frozenset({"teacher_a1"}),
        body=lambda c: {"meeting": _meeting(c)[0], "title": "x"},
    ),
    "api:resolution-detail": Rule(args=_resolution, readers=EVERYONE),
    "api:resolution-vote": Rule(
        args=_resolution,
        method="post",
        read_only=frozenset({"teacher_a1", "chair"}),
        body=lambda c: {"school": c.a1.pk, "choice": "yes"},
    ),
    "api:action-item-list": Rule(
        readers=EVERYONE,
        is_list=True,
        read_only=frozenset({"teacher_a1"}),
        body=lambda c: {
            "resolution": _resolution(c)[0],
            "description": "x",
            "owner_school": c.a1.pk,
            "due_on": str(timezone.localdate()),
        },
    ),
    "api:action-item-detail": Rule(args=_action_item, readers=EVERYONE),
    "api:action-item-progress": Rule(
        args=_action_item,
        method="post",
        read_only=frozenset({"teacher_a1"}),
        body=lambda c: {"note": "x"},
    ),
    "dashboard:meeting-new": Rule(
        args=lambda c: [c.group_a.pk],
        readers=frozenset({"bureau", "chair", "principal_a1"}),
        read_only=frozenset({"teacher_a1"}),
    ),
    "dashboard:meeting-detail": Rule(args=_meeting, readers=EVERYONE),
    "dashboard:seat-end": Rule(
        args=_seat,
        method="post",
        read_only=frozenset({"principal_a1", "teacher_a1"}),
        writers=frozenset({"bureau", "chair"}),
    ),
    "dashboard:seat-new": Rule(
        args=lambda c: [c.group_a.pk],
        readers=frozenset({"bureau", "chair"}),
        read_only=frozenset({"principal_a1", "teacher_a1"}),
    ),
    "dashboard:meeting-act": Rule(
        args=lambda c: [*_meeting(c), "close"],
        method="post",
        read_only=frozenset({"principal_a1", "teacher_a1"}),
        writers=frozenset({"bureau", "chair"}),
    ),
    # Action items: officers add them on the meeting page, the owner or an officer reports.
    "dashboard:action-item-progress": Rule(
        args=_action_item,
        method="post",
        read_only=frozenset({"teacher_a1"}),
        writers=frozenset({"bureau", "chair", "principal_a1"}),
    ),
    "dashboard:attachment": Rule(args=_attachment, readers=EVERYONE),
    "api:attachment-download": Rule(args=_attachment, readers=EVERYONE),
    "api:meeting-attachments": Rule(
        args=_meeting, method="post", read_only=frozenset({"principal_a1"}), writers=BUREAU
    ),
    "dashboard:council": Rule(args=lambda c: [c.group_a.pk], readers=EVERYONE),
    "dashboard:quarterly-report": Rule(args=lambda c: [c.group_a.pk], readers=EVERYONE),
    "dashboard:group-export": Rule(args=lambda c: [c.group_a.pk, "votes", "csv"], readers=EVERYONE),
    "api:resolution-decide": Rule(
        args=_resolution, method="post", read_only=frozenset({"principal_a1"})
    ),
    "api:token-revoke": Rule(method="post", writers=EVERYONE),
    "api:token-revoke-all": Rule(method="post", writers=EVERYONE),
}

# Routes anyone may reach, signed in or not; each says why.
PUBLIC = {
    "login": "the sign-in page",
    "set_language": "switching the language",
    "api:token": "sign-in for machine clients (throttled, locked out after failures)",
    "api:schema": "the API description integrators read before they have an account",
    "api:docs": "the same, rendered",
    "api:redoc": "the same, rendered",
    "logout": "signing out needs no rights",
    "favicon": "the site's icon, which browsers ask for unprompted",
}
# Routes that need a signed-in user and show only that user's own data.
OWN_DATA = {"password_change": "changing one's own password"}
