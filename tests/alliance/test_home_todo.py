"""The home page's to-do card (待办): what each role may act on, and nothing of other groups.

Texts new with the card are asserted in English (the language switch), until their Chinese
translations are in locale/; everything else as the page renders by default, in Chinese.
"""

import datetime
import html
import re

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alliance.models import GroupStatus, SchoolGroup
from governance import selectors, services
from governance.models import ActionItem, Attendance, Resolution
from members import services as member_services
from members.models import Membership, Post
from tests.conftest import fresh, staff_user
from tests.governance.factories import (
    action_item,
    meeting,
    passed_resolution,
    rotating_chair,
    secretary_general,
)
from tests.members.factories import SchoolFactory, past

pytestmark = pytest.mark.django_db


def home(client, user, *, english: bool = False):
    client.force_login(user)
    if english:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    return response


def card(response) -> str:
    """The to-do card's HTML alone."""
    return response.content.decode().split('id="todo"')[1].split("</section>")[0]


def todo(response, kind: str) -> list:
    return response.context["todo"][kind].rows


def upcoming(county, *, title: str, days: int, group=None, **extra):
    """A meeting `days` from now (every member school invited unless schools are named)."""
    return services.meeting_schedule(
        group=group or county.group_a,
        kind="council",
        title=title,
        starts_at=timezone.now() + datetime.timedelta(days=days),
        place="会议室",
        by=county.bureau,
        **extra,
    )


def group_b_item(county, *, description: str) -> ActionItem:
    """A passed resolution of group B with an action item owned by B1."""
    held = upcoming(county, title="东河理事会议", days=0, group=county.group_b)
    for school in (county.b0, county.b1):
        services.attendance_record(meeting=held, school=school, status="present", by=county.bureau)
    resolution = services.resolution_propose(meeting=held, title="东河决议", by=county.bureau)
    services.vote_cast(
        resolution=resolution, school=county.b1, choice="yes", by=county.principal_b1
    )
    services.resolution_decide(resolution=resolution, by=county.bureau)
    return services.action_item_add(
        resolution=resolution,
        description=description,
        due_on=timezone.localdate() + datetime.timedelta(days=7),
        owner_school=county.b1,
        by=county.bureau,
    )


def open_motion(county, *, title: str, present=("a0", "a1")) -> Resolution:
    """A motion put to a meeting in session, with the named schools recorded present."""
    in_session = meeting(county, title=f"{title}会议")
    for name in present:
        services.attendance_record(
            meeting=in_session, school=getattr(county, name), status="present", by=county.chair
        )
    return services.resolution_propose(meeting=in_session, title=title, by=county.chair)


# --- What each role sees ----------------------------------------------------------------------


def test_the_chair_sees_meetings_minutes_to_approve_and_items_to_follow_up(client, county):
    upcoming(county, title="十二月理事会议", days=3)
    held = meeting(county, title="十月理事会议", days_ago=20)
    services.meeting_close(meeting=held, by=county.chair)
    item = action_item(county, passed_resolution(county), description="上传语文课例20节")
    response = home(client, county.chair)
    assert [m.title for m in todo(response, "meetings")] == ["十二月理事会议"]
    assert [m.title for m in todo(response, "minutes")] == ["十月理事会议", "十一月理事会议"]
    assert [i.description for i in todo(response, "action_items")] == ["上传语文课例20节"]
    assert todo(response, "applications") == []
    text = card(response)
    assert "审定纪要" in text  # the closed meeting's next step: approve the minutes
    assert reverse("dashboard:meeting-detail", args=[held.pk]) in text
    council = reverse("dashboard:council", args=[county.group_a.pk])
    assert f"{council}?item={item.pk}#item-{item.pk}" in text


def test_a_dissolved_groups_council_leaves_nothing_to_do(client, county):
    held = meeting(county, title="十月理事会议", days_ago=20)
    assert [m.title for m in todo(home(client, county.bureau), "minutes")] == [held.title]
    SchoolGroup.objects.filter(pk=county.group_a.pk).update(
        status=GroupStatus.DISSOLVED, dissolved_on=past(1)
    )
    assert todo(home(client, county.bureau), "minutes") == []


def test_a_secretary_general_keeps_the_minutes_and_follows_up_like_the_chair(client, county):
    secretary = staff_user(school=county.a2, post=Post.MIDDLE_MANAGER, username="secretary")
    services.seat_assign(
        group=county.group_a,
        role="secretary_general",
        holder=secretary,
        starts_on=past(10),
        by=county.chair,
    )
    held = meeting(county, title="十月理事会议", days_ago=20)
    action_item(county, passed_resolution(county), description="上传语文课例20节")
    response = home(client, secretary.user)
    assert [m.title for m in todo(response, "minutes")] == ["十月理事会议", "十一月理事会议"]
    assert [i.description for i in todo(response, "action_items")] == ["上传语文课例20节"]
    assert reverse("dashboard:meeting-detail", args=[held.pk]) in card(response)


def test_a_principal_does_not_keep_the_minutes_of_a_group_with_a_rotating_chair(client, county):
    rotating_chair(county)
    meeting(county, title="十月理事会议", days_ago=20)
    assert todo(home(client, county.chair), "minutes") == []


def test_a_principal_sees_the_resolutions_awaiting_the_schools_vote(client, county):
    resolution = open_motion(county, title="共建课程资源库")
    response = home(client, county.principal_a1)
    assert todo(response, "votes") == [resolution]
    assert "共建课程资源库" in card(response)
    assert reverse("dashboard:meeting-detail", args=[resolution.meeting_id]) in card(response)
    assert todo(response, "minutes") == []  # a principal does not keep the minutes
    services.vote_cast(
        resolution=resolution, school=county.a1, choice="yes", by=county.principal_a1
    )
    assert todo(home(client, county.principal_a1), "votes") == []


def test_a_school_not_recorded_present_has_nothing_to_vote_on(client, county):
    principal_a2 = staff_user(school=county.a2, post=Post.PRINCIPAL, username="principal_a2")
    open_motion(county, title="共建课程资源库", present=("a0", "a1"))
    assert todo(home(client, principal_a2.user), "votes") == []


def test_the_councils_on_the_card_are_exactly_those_runs_council_allows(county):
    """council_group_ids asks runs_council's rule for every group at once: they must agree,
    for officers in and out of term and for a rotating chair."""
    secretary = secretary_general(county)
    former = secretary_general(county, group=county.group_b, username="sg_b")
    former.staff.seats.update(ends_on=past(1))
    rotating_chair(county, group=county.group_b, holder=county.principal_b1.staff)
    users = [county.bureau, county.chair, county.principal_a1, county.principal_b1]
    users += [county.teacher_a1, county.outsider, secretary, former]
    for user in map(fresh, users):
        groups = SchoolGroup.objects.filter(status=GroupStatus.ACTIVE)
        expected = {g.pk for g in groups if selectors.runs_council(user, group_id=g.pk)}
        assert selectors.council_group_ids(user) == expected, user.username


def test_the_listed_resolutions_are_exactly_those_the_vote_service_accepts(county):
    principal = fresh(county.principal_a1)
    in_session = meeting(county, title="理事会议")
    proxied = meeting(county, title="联席会议", kind="principals")
    absent = meeting(county, title="缺席的会议")
    closed = meeting(county, title="已结束的会议")
    services.attendance_record(
        meeting=in_session, school=county.a1, status="present", by=county.chair
    )
    services.attendance_record(
        meeting=proxied, school=county.a1, status="proxy", proxy_name="王老师", by=county.chair
    )
    services.attendance_record(
        meeting=absent, school=county.a1, status="absent", reason="外出培训", by=county.chair
    )
    services.attendance_record(meeting=closed, school=county.a1, status="present", by=county.chair)
    # Before A1 joined (it was approved 290 days ago): recorded present behind the services' back.
    before = meeting(county, title="入盟前的会议", days_ago=295)
    Attendance.objects.create(meeting=before, school=county.a1, status="present")

    def motion(of, title):
        return services.resolution_propose(meeting=of, title=title, by=county.chair)

    listed_ones = {motion(in_session, "待表决"), motion(proxied, "委托代理")}
    voted = motion(in_session, "已投票")
    services.vote_cast(resolution=voted, school=county.a1, choice="no", by=principal)
    decided = motion(in_session, "已计票")
    services.resolution_decide(resolution=decided, by=county.chair)
    motion(absent, "缺席")
    motion(closed, "会已结束")
    services.meeting_close(meeting=closed, by=county.chair)
    motion(before, "入盟前")
    motion(meeting(county, title="未登记出席"), "未登记")
    group_b_item(county, description="东河事项")

    def accepted(resolution) -> bool:
        try:
            with transaction.atomic():
                services.vote_cast(
                    resolution=resolution, school=county.a1, choice="yes", by=principal
                )
                transaction.set_rollback(True)
        except (ValidationError, PermissionDenied):
            return False
        return True

    listed = set(selectors.resolutions_awaiting_vote(principal))
    assert listed == listed_ones
    assert listed == {r for r in Resolution.objects.all() if accepted(r)}


def test_a_teacher_sees_the_action_items_they_own_and_not_their_schools(client, county):
    resolution = passed_resolution(county)
    own = action_item(
        county, resolution, description="执教公开课", owner_person=county.teacher_a1.staff
    )
    schools = action_item(county, resolution, description="上传语文课例20节")
    assert todo(home(client, county.teacher_a1), "action_items") == [own]
    assert todo(home(client, county.principal_a1), "action_items") == [own, schools]


def test_the_card_lists_exactly_the_open_items_each_role_may_report_on(client, county):
    resolution = passed_resolution(county)
    action_item(county, resolution, description="学校事项")
    action_item(county, resolution, description="教师事项", owner_person=county.teacher_a1.staff)
    action_item(county, resolution, description="二校事项", owner_school=county.a2)
    done = action_item(county, resolution, description="已完成事项")
    services.action_item_progress(item=done, note="已完成", done=True, by=county.chair)
    group_b_item(county, description="东河事项")
    for user in (county.bureau, county.chair, county.principal_a1, county.teacher_a1):
        user = fresh(user)
        expected = [
            item
            for item in selectors.action_items_visible_to(user).filter(done_on__isnull=True)
            if services.action_item_may_report(user, item)
        ]
        shown = home(client, user).context["todo"]["action_items"]
        assert sorted(shown.rows, key=lambda i: i.pk) == sorted(expected, key=lambda i: i.pk)
        assert shown.total == len(expected)


def test_the_bureau_sees_applications_awaiting_approval_linking_to_where_it_decides(client, county):
    applicant = SchoolFactory(name="西山乡中心小学")
    membership = member_services.membership_apply(
        school=applicant, group=county.group_a, by=county.bureau, applied_on=past(3)
    )
    response = home(client, county.bureau)
    assert todo(response, "applications") == [membership]
    # The school page, at the application with its 批准/驳回, not the admin's read-only form.
    school_page = reverse("dashboard:school-detail", args=[applicant.pk])
    assert f'href="{school_page}#membership-{membership.pk}"' in card(response)
    assert reverse("admin:members_membership_change", args=[membership.pk]) not in card(response)
    decide = client.get(school_page).content.decode()
    assert f'id="membership-{membership.pk}"' in decide
    for action in ("approve", "reject"):
        assert reverse("dashboard:membership-act", args=[membership.pk, action]) in decide
    assert "西山乡中心小学" in card(response)
    # The chair sees the application on the group page but does not approve it.
    assert todo(home(client, county.chair), "applications") == []


# --- Never another group's ----------------------------------------------------------------------


def test_a_principal_never_sees_another_groups_meetings_or_items(client, county):
    upcoming(county, title="东河十二月理事会议", days=2, group=county.group_b)
    group_b_item(county, description="东河课程共建")
    upcoming(county, title="青溪十二月理事会议", days=2)
    action_item(county, passed_resolution(county), description="青溪课例上传")
    a1 = card(home(client, county.principal_a1))
    assert "青溪十二月理事会议" in a1 and "青溪课例上传" in a1
    assert "东河" not in a1
    b1 = card(home(client, county.principal_b1))
    assert "东河十二月理事会议" in b1 and "东河课程共建" in b1
    assert "青溪" not in b1


def test_a_school_that_left_no_longer_sees_the_meetings_it_was_invited_to(client, county):
    principal_a2 = staff_user(school=county.a2, post=Post.PRINCIPAL, username="principal_a2")
    upcoming(county, title="十二月理事会议", days=5)
    assert [m.title for m in todo(home(client, principal_a2.user), "meetings")] == [
        "十二月理事会议"
    ]
    member_services.membership_withdraw(
        membership=Membership.objects.get(school=county.a2, group=county.group_a),
        notice_on=past(0),
        by=county.bureau,
    )
    assert todo(home(client, fresh(principal_a2.user)), "meetings") == []


def test_only_meetings_within_the_horizon_the_school_is_invited_to_are_listed(
    client, county, settings
):
    principal_a2 = staff_user(school=county.a2, post=Post.PRINCIPAL, username="principal_a2")
    upcoming(county, title="下周理事会议", days=7)
    upcoming(county, title="两月后理事会议", days=60)
    upcoming(county, title="一校会议", days=3, invited_schools=[county.a1])
    assert [m.title for m in todo(home(client, principal_a2.user), "meetings")] == ["下周理事会议"]
    # The chair runs the council: every meeting of the group within the horizon.
    chair = [m.title for m in todo(home(client, county.chair), "meetings")]
    assert chair == ["一校会议", "下周理事会议"]
    settings.GOVERNANCE_DEFAULTS = {**settings.GOVERNANCE_DEFAULTS, "upcoming_meeting_days": 90}
    longer = [m.title for m in todo(home(client, principal_a2.user), "meetings")]
    assert longer == ["下周理事会议", "两月后理事会议"]


def test_a_teacher_sees_only_the_meetings_they_are_invited_to_by_name(client, county):
    upcoming(county, title="理事会议", days=7)
    teacher = county.teacher_a1.staff
    upcoming(county, title="教研工作会议", days=5, invited_people=[teacher])
    assert [m.title for m in todo(home(client, county.teacher_a1), "meetings")] == ["教研工作会议"]
    # Their principal is invited through the school to both.
    both = [m.title for m in todo(home(client, county.principal_a1), "meetings")]
    assert both == ["教研工作会议", "理事会议"]


# --- The card's form ------------------------------------------------------------------------------


def test_overdue_items_are_marked(client, county):
    resolution = passed_resolution(county)
    late = action_item(county, resolution, description="提交教研总结")
    action_item(county, resolution, description="上传语文课例20节")
    ActionItem.objects.filter(pk=late.pk).update(due_on=past(2))
    text = card(home(client, county.principal_a1))
    assert text.count("逾期") == 1
    late_line = text.split("提交教研总结")[1].split("</li>")[0]
    assert '<span class="badge alert">逾期</span>' in late_line


def test_each_list_shows_five_and_links_to_the_rest(client, county):
    for day in range(1, 8):
        upcoming(county, title=f"理事会议{day:02}", days=day)
    response = home(client, county.chair, english=True)
    shown = todo(response, "meetings")
    assert [m.title for m in shown] == [f"理事会议{day:02}" for day in range(1, 6)]
    council = reverse("dashboard:council", args=[county.group_a.pk])
    assert f'<a href="{council}?status=scheduled#meetings">and 2 more</a>' in card(response)


def test_the_bureau_is_sent_to_the_admin_for_the_rest_of_the_applications(client, county):
    for _ in range(6):
        member_services.membership_apply(
            school=SchoolFactory(), group=county.group_a, by=county.bureau, applied_on=past(1)
        )
    text = card(home(client, county.bureau, english=True))
    changelist = reverse("admin:members_membership_changelist")
    assert f'<a href="{changelist}?status__exact=applied">and 1 more</a>' in text


def test_the_bureau_is_sent_to_the_admins_county_wide_lists_for_the_rest(client, county):
    """The bureau sees every group, so no single council page holds the rest."""
    # Held yesterday: the admin's links give times to the minute.
    resolution = passed_resolution(county, of=meeting(county, title="昨日理事会议", days_ago=1))
    for n in range(7):
        upcoming(
            county, title=f"理事会议{n}", days=n + 1, group=(county.group_a, county.group_b)[n % 2]
        )
        action_item(county, resolution, description=f"事项{n}")
        services.meeting_close(
            meeting=meeting(county, title=f"往期{n}", days_ago=n + 5), by=county.chair
        )
    response = home(client, county.bureau, english=True)
    links = {
        kind: re.search(r'<a href="([^"]+)">and \d+ more</a>', card_part).group(1)
        for kind, card_part in zip(
            ("meetings", "action_items", "minutes"), card(response).split("<h3>")[1:4], strict=True
        )
    }
    expected = {"meetings": 7, "action_items": 7, "minutes": 8}  # minutes: and the resolution's
    for kind, link in links.items():
        listed = client.get(html.unescape(link))
        assert listed.status_code == 200, kind
        assert listed.context["cl"].result_count == expected[kind], kind


@pytest.mark.parametrize("who", ["teacher_a1", "principal_b1", "outsider"])
def test_an_empty_card_says_there_is_nothing_to_do(client, county, who):
    response = home(client, getattr(county, who), english=True)
    assert response.context["todo"]["empty"]
    assert "Nothing to do right now." in card(response)
    assert "<h3>" not in card(response)


def test_a_card_with_something_to_do_does_not_say_it_is_empty(client, county):
    upcoming(county, title="十二月理事会议", days=3)
    assert "Nothing to do right now." not in card(home(client, county.chair, english=True))


# --- Queries --------------------------------------------------------------------------------------

# Session, user, roles (with the own record), groups, the council seat held and the card's
# lists: 14 for the chair, the most, whatever the number of rows.
HOME_QUERIES = 14


@pytest.mark.parametrize("who", ["bureau", "chair", "principal_a1", "teacher_a1", "outsider"])
def test_the_home_page_runs_a_bounded_number_of_queries(
    client, county, django_assert_max_num_queries, who
):
    resolution = passed_resolution(county)
    for n in range(8):
        upcoming(county, title=f"理事会议{n}", days=n + 1)
        services.meeting_close(
            meeting=meeting(county, title=f"往期会议{n}", days_ago=n + 10), by=county.chair
        )
        action_item(county, resolution, description=f"学校事项{n}")
        action_item(
            county, resolution, description=f"教师事项{n}", owner_person=county.teacher_a1.staff
        )
        member_services.membership_apply(
            school=SchoolFactory(), group=county.group_a, by=county.bureau, applied_on=past(1)
        )
    in_session = meeting(county, title="本次理事会议")
    for school in (county.a0, county.a1):
        services.attendance_record(
            meeting=in_session, school=school, status="present", by=county.chair
        )
    for n in range(8):
        services.resolution_propose(meeting=in_session, title=f"动议{n}", by=county.chair)
    user = getattr(county, who)
    client.force_login(user)
    client.get(reverse("dashboard:home"))  # content types are read once per process
    with django_assert_max_num_queries(HOME_QUERIES):
        response = client.get(reverse("dashboard:home"))
    lists = response.context["todo"]
    assert all(len(lists[kind].rows) <= 5 for kind in ("meetings", "votes", "minutes"))
    if who in ("bureau", "chair"):
        assert lists["minutes"].total == 10  # eight closed, two still in session
        assert lists["action_items"].total == 16
    if who == "principal_a1":
        assert lists["votes"].total == 8
    if who == "bureau":
        assert lists["applications"].total == 8


# --- Where each line leads, and what it says ------------------------------------------------------


def test_a_resolution_to_vote_on_links_to_its_place_on_the_meeting_page(client, county):
    resolution = open_motion(county, title="共建课程资源库")
    meeting_page = reverse("dashboard:meeting-detail", args=[resolution.meeting_id])
    text = card(home(client, county.principal_a1))
    assert f'href="{meeting_page}#resolution-{resolution.pk}"' in text


def test_a_meeting_awaiting_its_minutes_links_to_the_minutes(client, county):
    held = meeting(county, title="十月理事会议", days_ago=20)
    services.meeting_close(meeting=held, by=county.chair)
    meeting_page = reverse("dashboard:meeting-detail", args=[held.pk])
    assert f'href="{meeting_page}#minutes"' in card(home(client, county.chair))


@pytest.mark.parametrize("officer", ["bureau", "chair", "secretary"])
def test_officers_follow_up_the_action_items_others_own(english, county, officer):
    action_item(county, passed_resolution(county), description="上传语文课例20节")
    user = secretary_general(county) if officer == "secretary" else getattr(county, officer)
    text = card(home(english, user))
    assert "<h3>Action items to follow up</h3>" in text
    assert "Action items to report on" not in text


def test_the_owner_school_reports_on_its_action_items(english, county):
    action_item(county, passed_resolution(county), description="上传语文课例20节")
    text = card(home(english, county.principal_a1))
    assert "<h3>Action items to report on</h3>" in text
    assert "to follow up" not in text


def test_a_secretary_general_is_shown_her_seat_and_led_to_her_council(
    english, county, django_assert_max_num_queries
):
    secretary = secretary_general(county)
    english.force_login(secretary)
    english.get(reverse("dashboard:home"))  # content types are read once per process
    with django_assert_max_num_queries(HOME_QUERIES):
        page = english.get(reverse("dashboard:home")).content.decode()
    role = page.split("<h2>My role</h2>")[1].split("</section>")[0]
    assert f"Secretary-general of the council of {county.group_a.name}" in role
    council = reverse("dashboard:council", args=[county.group_a.pk])
    assert f'href="{council}"' in role


def test_a_teacher_without_a_seat_is_shown_none(english, county):
    page = home(english, county.teacher_a1).content.decode()
    assert "of the council of" not in page
    assert 'class="seat"' not in page


def test_a_principal_whose_school_left_its_group_is_offered_to_apply(english, county):
    membership = Membership.objects.get(school=county.b1, group=county.group_b)
    member_services.membership_withdraw(
        membership=membership, by=county.principal_b1, notice_on=past(0)
    )
    apply = reverse("dashboard:membership-apply", args=[county.b1.pk])
    page = home(english, fresh(county.principal_b1)).content.decode()
    assert f'<a class="button" href="{apply}">Apply to join a group</a>' in page
    assert 'id="open-application"' not in page


def test_a_principal_whose_school_waits_for_approval_is_told_so_and_not_offered_to_apply(
    english, county
):
    school = SchoolFactory()
    principal = staff_user(school=school, post=Post.PRINCIPAL, username="p_new").user
    application = member_services.membership_apply(
        school=school, group=county.group_a, by=principal
    )
    page = home(english, principal).content.decode()
    said = page.split('id="open-application"')[1].split("</p>")[0]
    assert (
        f"Your school has applied to join {county.group_a.name}; the education bureau has yet "
        "to decide." in said
    )
    school_page = reverse("dashboard:school-detail", args=[school.pk])
    assert f'href="{school_page}#membership-{application.pk}"' in said
    assert reverse("dashboard:membership-apply", args=[school.pk]) not in page


@pytest.mark.parametrize("who", ["principal_a1", "teacher_a1", "bureau"])
def test_only_a_principal_whose_school_is_in_no_group_is_offered_to_apply(english, county, who):
    page = home(english, getattr(county, who)).content.decode()
    assert "Apply to join a group" not in page
    assert 'id="open-application"' not in page
