"""Demo council for `seed_demo`: seats, three months of meetings, votes, a charter, follow-ups.

Everything goes through the services, so the demo obeys the same quorum, voting and
minutes rules as real use.
"""

import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from alliance.models import SchoolGroup
from governance import services
from governance.models import AttendanceStatus, MeetingKind, ResolutionKind, SeatRole
from members.models import Post, School, Staff
from members.selectors import member_school_ids_on

CHARTER = """第一章 总则
第一条 本联盟由青溪县实验小学牵头，联合城乡小学组建，实行理事会领导下的理事长负责制。
第二条 各成员学校法人不变、财务独立，按照“资源共享、优势互补、共同发展”的原则开展合作。
第二章 理事会
第三条 理事会由各成员学校校长组成，每个成员单位有一票决策权。
第四条 理事会议每月至少召开一次；章程的修改须经理事会三分之二以上成员单位同意。"""


def _principal_users(schools) -> dict[School, User]:
    """Every member principal votes for their school; give those without a login an account
    that cannot sign in (votes need a user)."""
    users = {}
    principals = Staff.objects.filter(school__in=schools, post=Post.PRINCIPAL, is_active=True)
    for staff in principals.select_related("school", "user"):
        if staff.user is None:
            staff.user = User.objects.create(
                username=f"demo-{staff.staff_no}", first_name=staff.name
            )
            staff.user.set_unusable_password()
            staff.user.save()
            staff.save(update_fields=["user"])
        users[staff.school] = staff.user
    return users


def _at(days_ago: int) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(15, 30)))


def _seats(group: SchoolGroup, schools, bureau: User, since: datetime.date) -> None:
    lead = group.lead_school
    for school in schools:
        principal = Staff.objects.get(school=school, post=Post.PRINCIPAL, is_active=True)
        role = SeatRole.CHAIR if school == lead else SeatRole.VICE_CHAIR
        services.seat_assign(group=group, role=role, holder=principal, starts_on=since, by=bureau)
    services.seat_assign(
        group=group,
        role=SeatRole.SECRETARY_GENERAL,
        holder=secretary_general(lead),
        starts_on=since,
        by=bureau,
    )


def secretary_general(lead: School) -> Staff:
    """The demo's secretary-general: the lead school's first middle manager (the `secretary`
    login)."""
    return Staff.objects.filter(school=lead, post=Post.MIDDLE_MANAGER).first()


def _hold(group, chair, voters, *, days_ago, title, absent=(), motion=None):
    """A council meeting that took place: attendance, an optional motion all present carry,
    then closed with approved minutes."""
    meeting = services.meeting_schedule(
        group=group,
        kind=MeetingKind.COUNCIL,
        title=title,
        starts_at=_at(days_ago),
        place=f"{group.lead_school.name}会议室",
        agenda=["上月工作回顾", "审议议题", "下月工作安排"],
        by=chair,
    )
    for school in voters:
        status = AttendanceStatus.ABSENT if school in absent else AttendanceStatus.PRESENT
        reason = "校内活动冲突" if school in absent else ""
        services.attendance_record(
            meeting=meeting, school=school, status=status, reason=reason, by=chair
        )
    resolution = None
    if motion:
        resolution = services.resolution_propose(meeting=meeting, by=chair, **motion)
        for school, user in voters.items():
            if school not in absent:
                services.vote_cast(resolution=resolution, school=school, choice="yes", by=user)
    services.meeting_close(meeting=meeting, by=chair)
    services.minutes_record(meeting=meeting, minutes=f"{title}：与会学校按议程逐项审议。", by=chair)
    services.minutes_approve(meeting=meeting, by=chair)
    return resolution


def seed_council(*, group: SchoolGroup, bureau: User, absentee: School) -> None:
    """Three monthly meetings and the next one scheduled; `absentee` misses two of them and is
    flagged."""
    today = timezone.localdate()
    since = today - datetime.timedelta(days=80)
    members = School.objects.filter(pk__in=member_school_ids_on(group=group, day=since))
    voters = _principal_users(members)
    chair = voters[group.lead_school]
    _seats(group, list(voters), bureau, since=since)
    charter = {"title": "通过联盟章程", "kind": ResolutionKind.CHARTER, "charter_text": CHARTER}
    _hold(group, chair, voters, days_ago=70, title="九月理事会议", motion=charter)
    library = {"title": "共建语文课例资源库", "text": "各校本学期上传优质课例不少于5节。"}
    passed = _hold(
        group, chair, voters, days_ago=40, title="十月理事会议", absent=[absentee], motion=library
    )
    item = services.action_item_add(
        resolution=passed,
        description="各校上传语文优质课例",
        due_on=today + datetime.timedelta(days=30),
        owner_school=absentee,
        by=chair,
    )
    services.action_item_progress(item=item, note="已上传3节", by=chair)
    _hold(group, chair, voters, days_ago=10, title="十一月理事会议", absent=[absentee])
    # The next one, so the members' to-do cards have a meeting coming up.
    services.meeting_schedule(
        group=group,
        kind=MeetingKind.COUNCIL,
        title="十二月理事会议",
        starts_at=_at(-14),
        place=f"{group.lead_school.name}会议室",
        agenda=["上月工作回顾", "课例资源库进展", "寒假工作安排"],
        by=chair,
    )
