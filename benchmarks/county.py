"""A county for the benchmarks, made the way the product makes data.

Schools, groups and every membership step (with its MembershipEvent) go through the services,
as in `seed_demo`; staff and logins are bulk-inserted, staff with the change history
`staff_save` would have written. One builder makes both counties: the small one, whose query
counts are the baseline, and the large one, a city bureau's size. Only the `Scale` differs, so
both have every kind of row the pages show (warned, withdrawn and expelled members, open and
rejected applications, a dissolved group, upcoming and unminuted meetings, overdue items).
"""

import datetime
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from alliance.audit import acting_as
from alliance.management.commands.seed_demo import (
    SUBJECTS,
    _mark_backbone,
    _name,
    _post_for,
    _title_for,
)
from alliance.models import GroupMode, SchoolGroup
from alliance.services import group_create, group_dissolve
from benchmarks import council
from members import services as member_services
from members.models import CURRENT_STATUSES, Membership, Post, School, Staff, Stage


@dataclass(frozen=True)
class Scale:
    label: str
    city: str
    code_prefix: str  # four digits; each school adds six (the 学校标识码 has ten)
    schools: int
    groups: int  # dissolved ones included
    dissolved: int
    staff: int
    # Schools the chair's group approved besides its lead; two of them leave again.
    big_members: int
    members: tuple[int, int]  # the same for every other group: at least, at most
    big_meetings: int
    meetings: int  # in all
    big_items: int
    items: int  # in all
    chair_school_staff: int
    principal_school_staff: int


SMALL = Scale(
    label="small",
    city="青溪县",
    code_prefix="3301",
    schools=18,
    groups=3,
    dissolved=1,
    staff=400,
    big_members=6,
    members=(2, 3),
    big_meetings=8,
    meetings=12,
    big_items=8,
    items=10,
    chair_school_staff=40,
    principal_school_staff=30,
)
LARGE = Scale(
    label="large",
    city="江州市",
    code_prefix="3302",
    schools=300,
    groups=40,
    dissolved=2,
    staff=15_000,
    big_members=14,
    members=(4, 7),
    big_meetings=60,
    meetings=400,
    big_items=60,
    items=300,
    chair_school_staff=220,
    principal_school_staff=140,
)

DISTRICTS = ("城东区", "城西区", "江北区", "南湖区", "高新区", "北山区")
# (stages, the name's ending, share of schools): mostly primary schools, as in a real city.
KINDS = (
    (("primary",), "小学", 45),
    (("junior",), "初级中学", 25),
    (("senior",), "高级中学", 12),
    (("preschool",), "幼儿园", 10),
    (("primary", "junior"), "九年一贯制学校", 8),
)
GROUP_NAMES = {
    GroupMode.ALLIANCE: "教育联盟",
    GroupMode.TIGHT: "教育集团",
    GroupMode.ENTRUSTED: "托管办学共同体",
}
OTHER_MODES = (GroupMode.TIGHT, GroupMode.ENTRUSTED, GroupMode.ALLIANCE)


@dataclass
class County:
    scale: Scale
    bureau: User
    group: SchoolGroup  # the chair's group, the largest
    principal_school: School  # a member of it
    users: dict[str, User]  # chair, principal, teacher, secretary
    meeting: object = None  # the chair's latest held meeting (governance.models.Meeting)
    seconds: float = 0.0
    sizes: dict[str, int] = field(default_factory=dict)


def build_county(scale: Scale, *, bureau: User) -> County:
    """Everything in one transaction: fast on SQLite and PostgreSQL, and all or nothing."""
    rng = random.Random(f"{scale.label}-2026")  # the same county on every run
    with transaction.atomic(), acting_as(bureau):
        schools = _schools(scale, bureau, rng)
        plan = _plan(scale, schools, rng)
        principals, users = _staff(scale, schools, bureau, rng)
        groups = [_found(scale, n, members, bureau, rng) for n, members in enumerate(plan)]
        county = County(scale, bureau, groups[0], schools[1], users)
        active = [group for group in groups if group.is_active]
        _life_cycle(scale, active, county, bureau, rng)
        council.build(scale, active, county, principals, rng)
    return county


# --- Schools and staff -------------------------------------------------------------------------


def _schools(scale: Scale, bureau: User, rng: random.Random) -> list[School]:
    stages = {stage.code: stage for stage in Stage.objects.all()}
    kinds = [kind for kind in KINDS for _ in range(kind[2])]
    schools = []
    for number in range(1, scale.schools + 1):
        # The chair's and the principal's schools are primary schools, as in the demo.
        codes, ending, _share = KINDS[0] if number <= 2 else rng.choice(kinds)
        district = rng.choice(DISTRICTS)
        school = School(
            name=f"{scale.city}{district}第{number}{ending}",
            code=f"{scale.code_prefix}{number:06d}",
            district=district,
            address=f"{scale.city}{district}学府路{rng.randint(1, 399)}号",
        )
        member_services.school_save(
            school=school, by=bureau, stages=[stages[code] for code in codes]
        )
        schools.append(school)
    return schools


def _sizes(scale: Scale, rng: random.Random) -> list[int]:
    """Staff per school: the chair's and the principal's schools are large, the rest vary."""
    fixed = [scale.chair_school_staff, scale.principal_school_staff]
    weights = [rng.randint(20, 90) for _ in range(scale.schools - 2)]
    left = scale.staff - sum(fixed)
    sizes = [max(8, round(left * w / sum(weights))) for w in weights]
    sizes[-1] += left - sum(sizes)
    return fixed + sizes


def _staff(scale: Scale, schools: list[School], bureau: User, rng: random.Random):
    """Staff rows as `seed_demo` makes them; every principal has a login (they vote), and the
    benchmarks' chair, principal, teacher and secretary-general are named logins."""
    rows = []
    for school, size in zip(schools, _sizes(scale, rng), strict=True):
        subjects = [s for stage in school.stages.all() for s in SUBJECTS[stage.code]]
        rows += [_staff_row(school, index, size, subjects, rng) for index in range(size)]
    _mark_backbone(rows, rng)
    named = {
        "chair": _first(rows, schools[0], Post.PRINCIPAL),
        "principal": _first(rows, schools[1], Post.PRINCIPAL),
        "teacher": _first(rows, schools[1], Post.TEACHER),
        "secretary": _first(rows, schools[0], Post.MIDDLE_MANAGER),
    }
    # Unsaved rows have no primary key to hash: key them by identity.
    usernames = {
        id(staff): f"{scale.label}-{staff.school.code}"
        for staff in rows
        if staff.post == Post.PRINCIPAL
    }
    usernames.update({id(staff): f"{scale.label}-{role}" for role, staff in named.items()})
    with_login = [staff for staff in rows if id(staff) in usernames]
    accounts = [User(username=usernames[id(s)], first_name=s.name) for s in with_login]
    for account in accounts:
        account.set_unusable_password()  # force_login needs none
    User.objects.bulk_create(accounts)
    for staff, account in zip(with_login, accounts, strict=True):
        staff.user = account
    bulk_create_with_history(rows, Staff, batch_size=1000, default_user=bureau)
    principals = {staff.school_id: staff.user for staff in rows if staff.post == Post.PRINCIPAL}
    return principals, {role: staff.user for role, staff in named.items()}


def _staff_row(school: School, index: int, size: int, subjects: list[str], rng) -> Staff:
    post = _post_for(index, size)
    return Staff(
        name=_name(rng),
        staff_no=f"{school.code}{index + 1:04d}",
        school=school,
        subject=rng.choice(subjects),
        post=post,
        title=_title_for(post, rng),
        # A few teachers have moved on; their records stay.
        is_active=post != Post.TEACHER or rng.random() > 0.02,
    )


def _first(rows: list[Staff], school: School, post: str) -> Staff:
    return next(s for s in rows if s.school is school and s.post == post and s.is_active)


# --- Groups and memberships --------------------------------------------------------------------


def _plan(scale: Scale, schools: list[School], rng: random.Random) -> list[list[School]]:
    """Each group's schools, its lead first: the chair's school leads the largest group and the
    principal's school is one of its members; some schools stay outside every group."""
    pool = schools[2:]
    rng.shuffle(pool)
    plan = [[schools[0], schools[1], *pool[: scale.big_members - 1]]]
    pool = pool[scale.big_members - 1 :]
    for number in range(1, scale.groups):
        dissolved = number >= scale.groups - scale.dissolved
        size = 1 + (2 if dissolved else rng.randint(*scale.members))
        plan.append(pool[:size])
        pool = pool[size:]
    if not all(plan) or len(pool) < 4:
        raise ValueError(f"{scale.label}: too few schools for {scale.groups} groups")
    return plan


def _found(scale: Scale, number: int, schools: list[School], bureau: User, rng) -> SchoolGroup:
    today = timezone.localdate()
    lead, *members = schools
    mode = GroupMode.ALLIANCE if number == 0 else OTHER_MODES[number % 3]
    founded_on = today - datetime.timedelta(days=1830 if number == 0 else rng.randint(760, 1800))
    # A city group may outgrow the seed's cap: the bureau raises it for the group (001 allows).
    default_cap = settings.GROUP_MEMBER_CAPS[mode]
    name = f"{lead.name}{GROUP_NAMES[mode]}"
    group = group_create(
        name=name,
        mode=mode,
        lead_school=lead,
        founded_on=founded_on,
        charter=f"{name}章程：实行理事会领导下的龙头学校负责制，一校一票，共建共享。",
        member_cap_override=len(members) + 1 if len(members) + 1 > default_cap else None,
        by=bureau,
    )
    for school in members:
        membership = member_services.membership_apply(
            school=school, group=group, by=bureau, applied_on=founded_on
        )
        approved_on = founded_on + datetime.timedelta(days=rng.randint(3, 20))
        member_services.membership_approve(
            membership=membership, by=bureau, approved_on=approved_on
        )
    if number >= scale.groups - scale.dissolved:
        group = group_dissolve(
            group=group,
            by=bureau,
            reason="集团考核不合格，经研究予以撤销。",
            dissolved_on=founded_on + datetime.timedelta(days=rng.randint(300, 600)),
        )
    return group


def _life_cycle(scale, groups: list[SchoolGroup], county: County, bureau, rng) -> None:
    """Warnings, withdrawals and expulsions; schools that left join another group; open and
    rejected applications from schools outside every group."""
    today = timezone.localdate()
    for group in groups:
        members = list(
            group.memberships.filter(status__in=CURRENT_STATUSES)
            .exclude(school__in=[group.lead_school, county.principal_school])
            .order_by("school__code")
        )
        big = group == county.group
        # The chair's group has one of each (two warnings); the others by chance.
        for action, chance in (("warn", 0.3), ("warn", 0), ("withdraw", 0.3), ("expel", 0.1)):
            if members and (big or rng.random() < chance):
                _leave(action, members.pop(), bureau, rng)
    left = Membership.objects.filter(
        group__in=groups, status__in=("withdrawn", "expelled")
    ).select_related("group", "school")
    for membership in left:
        others = [g for g in groups if g != membership.group and _has_room(g)]
        if others and rng.random() < 0.5:
            applied_on = membership.left_on + datetime.timedelta(days=rng.randint(5, 30))
            joined = member_services.membership_apply(
                school=membership.school, group=rng.choice(others), by=bureau, applied_on=applied_on
            )
            member_services.membership_approve(
                membership=joined,
                by=bureau,
                approved_on=min(today, applied_on + datetime.timedelta(days=rng.randint(1, 10))),
            )
    _applications(scale, groups, county, bureau, rng)


def _leave(action: str, membership: Membership, bureau: User, rng: random.Random) -> None:
    today = timezone.localdate()
    on = today - datetime.timedelta(days=rng.randint(40, 400))
    if action == "warn":
        member_services.membership_warn(
            membership=membership, by=bureau, reason="连续缺席理事会议。", warned_on=on
        )
    elif action == "withdraw":  # 000: written notice first (提前书面通知)
        member_services.membership_withdraw(
            membership=membership,
            by=bureau,
            notice_on=on - datetime.timedelta(days=30),
            left_on=on,
            reason="学校布局调整，申请退出。",
        )
    else:
        member_services.membership_expel(
            membership=membership, by=bureau, reason="长期不参与集团活动。", expelled_on=on
        )


def _has_room(group: SchoolGroup) -> bool:
    return member_services.membership_count(group=group) < group.member_cap


def _applications(scale, groups: list[SchoolGroup], county: County, bureau, rng) -> None:
    """Schools outside every group apply: some were rejected, some wait for the bureau. The
    chair's group has two of each kind."""
    today = timezone.localdate()
    current = Membership.objects.filter(status__in=CURRENT_STATUSES).values("school_id")
    outside = list(
        School.objects.filter(code__startswith=scale.code_prefix)
        .exclude(pk__in=current)
        .order_by("code")
    )
    picks = [(county.group, True), (county.group, True), (county.group, False)]
    picks += [(county.group, False)]
    picks += [(rng.choice(groups), rng.random() < 0.4) for _ in range(scale.groups * 2)]
    applied, waiting = set(), set()  # a school waits on one application at a time
    for group, rejected in picks:
        school = rng.choice(outside)
        if (
            (school.pk, group.pk) in applied
            or school.pk in waiting
            or group.memberships.filter(school=school).exists()
        ):
            continue
        applied.add((school.pk, group.pk))
        if not rejected:
            waiting.add(school.pk)
        days = rng.randint(60, 300) if rejected else rng.randint(1, 45)
        # Not before the school left its last group: no date puts a school in two groups.
        left = school.memberships.aggregate(last=Max("left_on"))["last"] or group.founded_on
        membership = member_services.membership_apply(
            school=school,
            group=group,
            by=bureau,
            applied_on=max(group.founded_on, left, today - datetime.timedelta(days=days)),
        )
        if rejected:
            member_services.membership_reject(
                membership=membership, by=bureau, reason="学段不匹配，暂不接收。"
            )
