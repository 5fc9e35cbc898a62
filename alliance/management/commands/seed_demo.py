"""Demo data: a fictional county (青溪县) with schools, staff and groups in every mode.

Schools, groups and memberships go through the services, so the demo obeys the same caps,
date checks and audit trail (MembershipEvent) as real data; only staff rows are bulk-inserted.
"""

import datetime
import random
from typing import NamedTuple

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone

from alliance.audit import acting_as
from alliance.models import GroupMode, SchoolGroup
from alliance.services import bureau_user_ensure, group_create
from governance.demo import secretary_general, seed_council
from members import services as member_services
from members.models import Post, School, Staff, Stage, Title

DEMO_PASSWORD = "demo-pass-2026"
# A fictional county prefix for the 10-digit 学校标识码; each school appends two digits.
CODE_PREFIX = "31522300"
D = datetime.date


class SchoolSpec(NamedTuple):
    name: str
    district: str
    stages: tuple[str, ...]
    staff: int
    is_legal_person: bool = True


SCHOOLS = [
    SchoolSpec("青溪县实验小学", "城关镇", ("primary",), 30),
    SchoolSpec("青溪县城关第二小学", "城关镇", ("primary",), 24),
    SchoolSpec("东河镇中心小学", "东河镇", ("primary",), 20),
    SchoolSpec("西岭镇中心小学", "西岭镇", ("primary",), 18),
    SchoolSpec("南山乡中心小学", "南山乡", ("primary",), 14),
    SchoolSpec("白石乡中心小学", "白石乡", ("primary",), 12),
    SchoolSpec("柳塘镇中心小学", "柳塘镇", ("primary",), 14),
    SchoolSpec("青溪县第一中学", "城关镇", ("senior",), 44),
    # 紧密型: "一个法人、多个校区" — the campuses are not their own legal persons (001).
    SchoolSpec("青溪县第一中学城东校区", "城关镇", ("senior",), 22, False),
    SchoolSpec("青溪县第一中学东河校区", "东河镇", ("junior", "senior"), 18, False),
    SchoolSpec("青溪县第二中学", "城关镇", ("junior",), 34),
    SchoolSpec("西岭镇初级中学", "西岭镇", ("junior",), 16),
    SchoolSpec("南山乡初级中学", "南山乡", ("junior",), 12),
    SchoolSpec("柳塘镇初级中学", "柳塘镇", ("junior",), 14),
    SchoolSpec("白石乡九年一贯制学校", "白石乡", ("primary", "junior"), 14),
    SchoolSpec("青溪县实验幼儿园", "城关镇", ("preschool",), 12),
    SchoolSpec("东河镇中心幼儿园", "东河镇", ("preschool",), 6),
    SchoolSpec("西岭镇中心幼儿园", "西岭镇", ("preschool",), 6),
]


class GroupSpec(NamedTuple):
    name: str
    mode: str
    stage: str | None
    founded_on: datetime.date
    # Members applied on founding day and were approved on this day, in order (cap check).
    approved_on: datetime.date
    schools: tuple[str, ...]  # the lead school first


GROUPS = [
    GroupSpec(
        "青溪县实验小学教育联盟",
        GroupMode.ALLIANCE,
        "primary",
        D(2023, 8, 28),
        D(2023, 9, 15),
        (
            "青溪县实验小学",
            "青溪县城关第二小学",
            "东河镇中心小学",
            "西岭镇中心小学",
            "南山乡中心小学",
            "白石乡中心小学",
        ),
    ),
    GroupSpec(
        "青溪县第一中学教育集团",
        GroupMode.TIGHT,
        "senior",
        D(2022, 9, 1),
        D(2022, 9, 10),
        ("青溪县第一中学", "青溪县第一中学城东校区", "青溪县第一中学东河校区"),
    ),
    GroupSpec(
        "青溪县第二中学托管办学共同体",
        GroupMode.ENTRUSTED,
        "junior",
        D(2023, 2, 20),
        D(2023, 3, 1),
        (
            "青溪县第二中学",
            "西岭镇初级中学",
            "南山乡初级中学",
            "柳塘镇初级中学",
            "白石乡九年一贯制学校",
        ),
    ),
    GroupSpec(
        "青溪县学前教育联盟",
        GroupMode.ALLIANCE,
        "preschool",
        D(2024, 3, 1),
        D(2024, 3, 15),
        ("青溪县实验幼儿园", "东河镇中心幼儿园", "西岭镇中心幼儿园"),
    ),
]
# The demo logins and history sit in the first alliance: its chair, its secretary-general, a
# member principal, a teacher.
DEMO_GROUP, DEMO_MEMBER = GROUPS[0], "东河镇中心小学"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程"
# Given names: an optional first character and a second, e.g. 建华, 晓燕, 伟.
GIVEN_FIRST = "建志海晓国春立振德雅文子欣思永红玉卫淑俊秀桂"
GIVEN_SECOND = "华强平明英梅芳涛军杰娟敏静丽伟磊洋勇艳霞刚婷雪宇浩琳鑫凯佳悦兰燕"
ROADS = ("人民路", "建设路", "学府路", "文昌路", "河滨路", "解放路", "育才路", "新华街")
# Repeated so that, as in real schools, Chinese and maths have the most teachers.
CORE = ("语文", "数学") * 2 + ("英语",)
ARTS = ("道德与法治", "音乐", "体育", "美术", "信息技术")
SUBJECTS = {
    "preschool": ("学前教育",),
    "primary": (*CORE, "科学", *ARTS),
    "junior": (*CORE, "物理", "化学", "生物", "历史", "地理", *ARTS),
    "senior": (*CORE, "物理", "化学", "生物", "历史", "地理", *ARTS),
}
TEACHER_TITLES = [Title.SENIOR, Title.FIRST, Title.SECOND, Title.THIRD, Title.NONE]


class Command(BaseCommand):
    help = "Fill an empty database with a demo county (青溪县): schools, staff, groups, logins."

    def handle(self, *args, **options) -> None:
        if _already_seeded():
            self.stdout.write("Demo data is already there; nothing changed.")
            return
        try:
            with transaction.atomic():
                bureau = bureau_user_ensure(
                    username="bureau", password=DEMO_PASSWORD, first_name="青溪县教育局"
                )
                # A fixed seed: every run builds the same county, names included.
                rng = random.Random(2026)
                with acting_as(bureau):  # the audit trail names the bureau account
                    schools = _create_schools(bureau, rng)
                    # Bulk insert: 330 rows one by one through staff_save would be slow.
                    Staff.objects.bulk_create(_staff_rows(schools, rng))
                    groups = [_create_group(spec, schools, bureau) for spec in GROUPS]
                    _add_history(groups[0], schools, bureau)
                    logins = _create_logins(schools, bureau)
                    seed_council(group=groups[0], bureau=bureau, absentee=schools["南山乡中心小学"])
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        except IntegrityError as error:
            # For example a demo login name already taken by a real account; nothing was saved.
            raise CommandError(f"Demo data clashes with existing data: {error}") from error
        self._report(schools, logins)

    def _report(self, schools: dict[str, School], logins: list[str]) -> None:
        staff = Staff.objects.filter(school__in=schools.values()).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo county ready: {len(schools)} schools, {staff} staff, {len(GROUPS)} groups."
            )
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for line in ["bureau: 教育局 (admin and every group)", *logins]:
            self.stdout.write(f"  {line}")


def _already_seeded() -> bool:
    # The whole seed is one transaction, so the first school means the rest is there too.
    first_code = f"{CODE_PREFIX}01"
    return (
        User.objects.filter(username="bureau").exists()
        and School.objects.filter(code=first_code).exists()
    )


def _create_schools(bureau: User, rng: random.Random) -> dict[str, School]:
    stages = {stage.code: stage for stage in Stage.objects.all()}
    schools = {}
    for number, spec in enumerate(SCHOOLS, start=1):
        school = School(
            name=spec.name,
            code=f"{CODE_PREFIX}{number:02d}",
            district=spec.district,
            address=f"青溪县{spec.district}{rng.choice(ROADS)}{rng.randint(1, 199)}号",
            is_legal_person=spec.is_legal_person,
        )
        member_services.school_save(
            school=school, by=bureau, stages=[stages[code] for code in spec.stages]
        )
        schools[spec.name] = school
    return schools


def _name(rng: random.Random) -> str:
    first = rng.choice(GIVEN_FIRST) if rng.random() < 0.6 else ""
    return rng.choice(SURNAMES) + first + rng.choice(GIVEN_SECOND)


def _post_for(index: int, size: int) -> str:
    """The first row is the principal, then 1–2 vice-principals and a few middle managers."""
    vices = 2 if size >= 20 else 1
    managers = max(2, size // 8)
    if index == 0:
        return Post.PRINCIPAL
    if index <= vices:
        return Post.VICE_PRINCIPAL
    if index <= vices + managers:
        return Post.MIDDLE_MANAGER
    return Post.TEACHER


def _staff_rows(schools: dict[str, School], rng: random.Random) -> list[Staff]:
    rows = []
    for spec in SCHOOLS:
        school = schools[spec.name]
        subjects = [s for stage in spec.stages for s in SUBJECTS[stage]]
        for index in range(spec.staff):
            post = _post_for(index, spec.staff)
            rows.append(
                Staff(
                    name=_name(rng),
                    staff_no=f"{school.code}{index + 1:03d}",
                    school=school,
                    subject=rng.choice(subjects),
                    post=post,
                    title=_title_for(post, rng),
                )
            )
    _mark_backbone(rows, rng)
    return rows


def _title_for(post: str, rng: random.Random) -> str:
    # School leaders are mostly senior teachers (高级教师); young teachers may be unrated.
    weights = (2, 4, 4, 1, 1) if post == Post.TEACHER else (5, 2, 1, 0, 0)
    return rng.choices(TEACHER_TITLES, weights=weights)[0]


def _mark_backbone(rows: list[Staff], rng: random.Random) -> None:
    """About 15% backbone teachers (骨干教师); a fifth of them, ~3% of all, famous (名师)."""
    backbone = rng.sample(rows, k=round(len(rows) * 0.15))
    for staff in backbone:
        staff.is_backbone = True
    for staff in rng.sample(backbone, k=round(len(rows) * 0.03)):
        staff.is_famous = True
        staff.title = rng.choice([Title.SENIOR, Title.SENIOR_PROFESSOR])


def _create_group(spec: GroupSpec, schools: dict[str, School], bureau: User) -> SchoolGroup:
    lead, *members = (schools[name] for name in spec.schools)
    group = group_create(
        name=spec.name,
        mode=spec.mode,
        lead_school=lead,
        founded_on=spec.founded_on,
        stage=Stage.objects.get(code=spec.stage) if spec.stage else None,
        charter=f"{spec.name}章程：实行理事会领导下的龙头学校负责制，一校一票，共建共享。",
        by=bureau,
    )
    for school in members:
        membership = member_services.membership_apply(
            school=school, group=group, by=bureau, applied_on=spec.founded_on
        )
        member_services.membership_approve(
            membership=membership, by=bureau, approved_on=spec.approved_on
        )
    return group


def _add_history(group: SchoolGroup, schools: dict[str, School], bureau: User) -> None:
    """A warning, a withdrawal and an open application, so the dashboard shows a life cycle."""
    member_services.membership_warn(
        membership=group.memberships.get(school=schools["南山乡中心小学"]),
        by=bureau,
        reason="连续两次缺席理事会议，结对帮扶任务未按期完成。",
        warned_on=D(2024, 12, 20),
    )
    # 000: 退出须提前书面通知 — the written notice comes weeks before the school leaves.
    member_services.membership_withdraw(
        membership=group.memberships.get(school=schools["白石乡中心小学"]),
        by=bureau,
        notice_on=D(2024, 6, 20),
        left_on=D(2024, 7, 15),
        reason="学校布局调整，经校务会讨论申请退出联盟。",
    )
    member_services.membership_apply(
        school=schools["柳塘镇中心小学"],
        group=group,
        by=bureau,
        # Relative to today, so the open application always looks recent.
        applied_on=timezone.localdate() - datetime.timedelta(days=14),
    )


def _create_logins(schools: dict[str, School], bureau: User) -> list[str]:
    """Link demo users to staff, so their roles follow from the data (members.roles)."""
    lead, member = schools[DEMO_GROUP.schools[0]], schools[DEMO_MEMBER]
    picks = [
        ("chair", Staff.objects.get(school=lead, post=Post.PRINCIPAL), "理事长"),
        ("secretary", secretary_general(lead), "秘书长"),
        ("principal", Staff.objects.get(school=member, post=Post.PRINCIPAL), "成员校校长"),
        ("teacher", Staff.objects.filter(school=member, post=Post.TEACHER).first(), "教师"),
    ]
    lines = []
    for username, staff, role in picks:
        staff.user = User.objects.create_user(
            username,
            password=DEMO_PASSWORD,
            last_name=staff.name[0],
            first_name=staff.name[1:],
        )
        member_services.staff_save(staff=staff, by=bureau)
        lines.append(f"{username}: {staff.name}, {staff.school.name} {role}")
    return lines
