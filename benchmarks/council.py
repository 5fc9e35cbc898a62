"""Every active group's council, as `governance/demo.py` makes the demo's: seats, meetings with
attendance and votes decided by the quorum and majority rules, minutes, action items on passed
resolutions with progress notes. All through governance.services, run by the group's chair.

Each group has a meeting coming up; the chair's group also has one in session today (principals
still to vote, the benchmarked principal's school among them) and one waiting for its minutes.
"""

import datetime
import random

from django.utils import timezone

from governance import services
from governance.models import ActionItem, MeetingKind, Outcome, Resolution, ResolutionKind, SeatRole
from members.models import Post, School, Staff
from members.selectors import member_school_ids_on

AGENDA = ("上月工作回顾", "审议议题", "下月工作安排")
TITLES = {
    MeetingKind.COUNCIL: "理事会议",
    MeetingKind.PRINCIPALS: "校长联席会议",
    MeetingKind.ACADEMIC: "学术交流会",
    MeetingKind.ANNUAL_PLAN: "年度工作计划会议",
}
MOTIONS = (
    "共建语文课例资源库",
    "骨干教师交流轮岗方案",
    "联合教研活动安排",
    "质量监测结果运用办法",
    "青年教师培养计划",
    "课后服务资源共享方案",
)
TASKS = ("上传优质课例", "报送轮岗名单", "组织同课异构", "提交分析报告", "安排师徒结对")
CHOICES = ("yes",) * 17 + ("no", "no", "abstain")


def build(scale, groups: list, county, principals: dict, rng: random.Random) -> None:
    counts = _shares(scale.meetings - scale.big_meetings, len(groups) - 1)
    items = _shares(scale.items - scale.big_items, len(groups) - 1)
    for number, group in enumerate(groups):
        big = group == county.group
        chair = principals[group.lead_school_id]
        _seats(group, county.bureau)
        meetings = scale.big_meetings if big else counts[number - 1]
        latest = _meetings(group, meetings, chair, principals, county, rng, number)
        if big:
            county.meeting = latest
        passed = Resolution.objects.filter(meeting__group=group, outcome=Outcome.PASSED)
        passed = list(passed.order_by("-meeting__starts_at", "pk"))
        if big:  # the benchmarked meeting's resolutions carry items
            passed.sort(key=lambda resolution: resolution.meeting_id != latest.pk)
        _items(group, passed, scale.big_items if big else items[number - 1], chair, county, rng)


def _shares(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if n < total % parts else 0) for n in range(parts)]


def _at(days_ago: int, hour: int = 15) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))


def _seats(group, bureau) -> None:
    """The council elected a year ago: the chair, a vice-chair per member, a secretary-general."""
    since = timezone.localdate() - datetime.timedelta(days=365)
    members = member_school_ids_on(group=group, day=since)
    principals = Staff.objects.filter(school_id__in=members, post=Post.PRINCIPAL, is_active=True)
    for holder in principals.select_related("school").order_by("school__code"):
        lead = holder.school_id == group.lead_school_id
        role = SeatRole.CHAIR if lead else SeatRole.VICE_CHAIR
        services.seat_assign(group=group, role=role, holder=holder, starts_on=since, by=bureau)
    secretary = (
        Staff.objects.filter(school_id=group.lead_school_id, post=Post.MIDDLE_MANAGER)
        .order_by("staff_no")
        .first()
    )
    services.seat_assign(
        group=group, role=SeatRole.SECRETARY_GENERAL, holder=secretary, starts_on=since, by=bureau
    )


def _kind(month_number: int) -> str:
    return {
        4: MeetingKind.PRINCIPALS,
        8: MeetingKind.ACADEMIC,
        11: MeetingKind.ANNUAL_PLAN,
    }.get(month_number % 12, MeetingKind.COUNCIL)


def _meetings(group, count: int, chair, principals, county, rng, number: int):
    """`count` meetings: one coming up, for the chair's group one in session and for some
    groups one waiting for minutes, the rest held monthly and minuted. Returns the latest
    held one."""
    big = group == county.group
    _schedule(group, _at(-rng.randint(3, 25)), MeetingKind.COUNCIL, "下月理事会议", chair)
    count -= 1
    if big:
        _in_session(group, chair, principals, county, rng)
        count -= 1
    if big or number % 3 == 0:
        _hold(group, _at(rng.randint(2, 9)), chair, principals, rng, approve=False)
        count -= 1
    latest = None
    for month in range(count, 0, -1):  # oldest first, so the charter comes first
        starts_at = _at(30 * month + rng.randint(0, 6))
        motions = [_motion(rng)] + ([_motion(rng)] if rng.random() < 0.25 else [])
        if month == count:
            motions[0] = {"title": "通过集团章程", "kind": ResolutionKind.CHARTER}
            motions[0]["charter_text"] = (
                f"{group.name}章程：理事会一校一票，章程修改须三分之二同意。"
            )
        if month == 1:  # the meeting page the benchmark opens: everyone came, two motions pass
            motions = [_motion(rng), _motion(rng)]
        latest = _hold(group, starts_at, chair, principals, rng, _kind(month), motions, month == 1)
    return latest


def _motion(rng: random.Random) -> dict:
    return {"title": rng.choice(MOTIONS), "text": "各成员校按计划落实，理事会跟踪检查。"}


def _schedule(group, starts_at, kind: str, title: str, chair):
    return services.meeting_schedule(
        group=group,
        kind=kind,
        title=title,
        starts_at=starts_at,
        place=f"{group.lead_school.name}会议室",
        agenda=AGENDA,
        by=chair,
    )


def _members(group, starts_at) -> list[School]:
    day = timezone.localtime(starts_at).date()
    return list(School.objects.filter(pk__in=member_school_ids_on(group=group, day=day)))


def _hold(
    group,
    starts_at,
    chair,
    principals,
    rng,
    kind="council",
    motions=(),
    all_yes=False,
    approve=True,
):
    """A meeting that took place: attendance, votes on its motions, closed, minutes."""
    local = timezone.localtime(starts_at)
    title = f"{local.year}年{local.month}月{TITLES[kind]}"
    meeting = _schedule(group, starts_at, kind, title, chair)
    present = _attend(meeting, _members(group, starts_at), chair, rng, everyone=all_yes)
    for motion in motions or [_motion(rng)]:
        resolution = services.resolution_propose(meeting=meeting, by=chair, **motion)
        for school in present:
            choice = "yes" if all_yes else rng.choice(CHOICES)
            services.vote_cast(
                resolution=resolution, school=school, choice=choice, by=principals[school.pk]
            )
    services.meeting_close(meeting=meeting, by=chair)
    services.minutes_record(meeting=meeting, minutes=f"{title}：与会学校按议程逐项审议。", by=chair)
    if approve:
        services.minutes_approve(meeting=meeting, by=chair)
    return meeting


def _attend(meeting, schools: list[School], chair, rng, *, everyone=False) -> list[School]:
    """Most schools come; some send their apologies, a few a proxy. Returns those who vote."""
    voters = []
    for school in schools:
        roll = 0 if everyone else rng.random()
        if roll < 0.85:
            data = {"status": "present"}
        elif roll < 0.95:
            data = {"status": "absent", "reason": "校内活动冲突"}
        else:
            data = {"status": "proxy", "proxy_name": "副校长代为出席"}
        services.attendance_record(meeting=meeting, school=school, by=chair, **data)
        if data["status"] != "absent":
            voters.append(school)
    return voters


def _in_session(group, chair, principals, county, rng) -> None:
    """Today's meeting: everyone present, two motions; the benchmarked principal's school has
    not voted yet, so its to-do card lists them."""
    starts_at = timezone.now() - datetime.timedelta(minutes=30)
    meeting = _schedule(group, starts_at, MeetingKind.COUNCIL, "本月理事会议", chair)
    schools = _attend(meeting, _members(group, meeting.starts_at), chair, rng, everyone=True)
    for _ in range(2):
        resolution = services.resolution_propose(meeting=meeting, by=chair, **_motion(rng))
        for school in schools:
            if school != county.principal_school:
                services.vote_cast(
                    resolution=resolution, school=school, choice="yes", by=principals[school.pk]
                )


def _items(group, passed: list, count: int, chair, county, rng) -> None:
    """Three items per passed resolution, newest first; owners are today's member schools or
    their teachers (the benchmarked teacher among them). Progress notes; some items done."""
    today = timezone.localdate()
    schools = list(School.objects.filter(pk__in=member_school_ids_on(group=group, day=today)))
    teachers = list(
        Staff.objects.filter(school__in=schools, post=Post.TEACHER, is_active=True).order_by("pk")
    )
    if group == county.group:
        teachers = [county.users["teacher"].staff] * 3 + teachers
    for number in range(count):
        resolution = passed[number // 3 % len(passed)]
        owner = {"owner_school": rng.choice(schools)}
        if number % 3 == 2:  # every third item is a person's
            owner = {"owner_person": teachers.pop(0) if teachers else None}
        item = services.action_item_add(
            resolution=resolution,
            description=f"{resolution.title}：{rng.choice(TASKS)}",
            due_on=today + datetime.timedelta(days=rng.randint(7, 120)),
            by=chair,
            **owner,
        )
        _progress(item, chair, rng)
    # Time passes: some open items are now past their due date (the service refuses a due
    # date in the past, so this is the one direct update).
    open_items = ActionItem.objects.filter(resolution__meeting__group=group, done_on__isnull=True)
    late = [pk for pk in open_items.values_list("pk", flat=True) if rng.random() < 0.15]
    ActionItem.objects.filter(pk__in=late).update(due_on=today - datetime.timedelta(days=5))


def _progress(item, chair, rng: random.Random) -> None:
    notes = rng.randint(0, 3)
    done = notes and rng.random() < 0.4
    for number in range(1, notes + 1):
        note = f"第{number}次进展：已完成约{number * 30}%"
        last = number == notes
        services.action_item_progress(item=item, note=note, by=chair, done=done and last)
