"""A secretary schedules a meeting, records attendance and a vote and sees the computed outcome.

group_a of the county, grown to five schools: the lead school A0 (its principal chairs) and
members A1–A4, each principal on the council, and a secretary-general (秘书长) from the lead
school's office. A4 is absent (its principal gets no vote buttons); the four present schools
vote 3 yes, 1 no.
"""

import datetime
import re

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from governance import services as council
from governance.models import Outcome, Resolution, SeatRole
from members.models import Post, School
from tests.conftest import PASSWORD, join
from tests.e2e.browser import (
    DESKTOP,
    PHONE,
    assert_accessible,
    horizontal_overflow,
    log_in,
    shoot,
    watch_csp,
)
from tests.members.factories import SchoolFactory, StaffFactory, UserFactory, past

pytestmark = [
    pytest.mark.e2e,
    # live_server needs real transactions; serialized_rollback brings back the stages a data
    # migration created, which the flush after each transactional test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The elements whose right edge passes the screen's, except inside a scrolling table.
STICKING_OUT = """width => [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > width && !e.closest(".table-wrap"))
    .map(e => e.tagName.toLowerCase() + (e.name ? `[name=${e.name}]` : ""))"""
TITLE = "十二月理事会议"
MOTION = "共建语文课例资源库"
FOLLOW_UP = "各校上传优质课例"


def seat_the_council(county) -> dict[School, str]:
    """Seat a principal for every school of group_a and a secretary-general; return each
    school's principal's username (A0's is the county's chair)."""
    group = county.group_a
    a3, a4 = SchoolFactory(), SchoolFactory()
    for school in (a3, a4):
        join(school=school, group=group, by=county.bureau)
    usernames = {county.a0: "chair", county.a1: "principal_a1"}
    for n, school in enumerate((county.a2, a3, a4), start=2):
        usernames[school] = f"principal_a{n}"
        StaffFactory(
            school=school, post=Post.PRINCIPAL, user=UserFactory(username=usernames[school])
        )
    for school in usernames:
        principal = school.staff.get(post=Post.PRINCIPAL)
        role = SeatRole.CHAIR if school == county.a0 else SeatRole.VICE_CHAIR
        council.seat_assign(
            group=group, role=role, holder=principal, starts_on=past(30), by=county.bureau
        )
    secretary = StaffFactory(
        school=county.a0,
        name="林秘书",
        post=Post.MIDDLE_MANAGER,
        user=UserFactory(username="secretary"),
    )
    council.seat_assign(
        group=group,
        role=SeatRole.SECRETARY_GENERAL,
        holder=secretary,
        starts_on=past(30),
        by=county.bureau,
    )
    return usernames


def row_of(page, school: School):
    """The attendance table's row of a school, found by the exact name in its first cell."""
    cell = page.get_by_role("cell", name=school.name, exact=True)
    return page.locator("main tbody tr").filter(has=cell)


def wider_than_phone(page) -> list[str]:
    """What sticks out of a 375px phone screen, to name in a failure; [] when the page fits."""
    overflow = horizontal_overflow(page)
    if overflow == 0:
        return []
    original = page.viewport_size
    page.set_viewport_size(PHONE)
    culprits = page.evaluate(STICKING_OUT, PHONE["width"])
    page.set_viewport_size(original)
    return [f"{overflow}px", *culprits]


def flash(page, kind: str):
    return page.locator(f".flash.{kind}")


def principal_opens(
    browser,
    base_url: str,
    meeting_path: str,
    *,
    username: str,
    csp_violations: list[str],
    from_home: bool = False,
):
    """A principal signs in, in a browser of their own (a fresh context: no shared cookies),
    and opens the meeting: from a link they were sent or, `from_home`, from the to-do card of
    their dashboard. Returns the motion's article; the caller closes the page's context."""
    context = browser.new_context(
        base_url=base_url, locale="zh-CN", viewport=DESKTOP, timezone_id="Asia/Shanghai"
    )
    context.set_default_timeout(15_000)
    watch_csp(context, csp_violations)
    page = context.new_page()
    if from_home:
        log_in(page, username=username, password=PASSWORD)
        todo = page.locator("#todo")
        expect(todo).to_contain_text("待本校表决的决议")
        shoot(page, "secretary-03b-principal-to-do")
        assert_accessible(page, "secretary-03b-principal-to-do")
        todo.get_by_role("link", name=MOTION).click()
    else:
        login = f"/accounts/login/?next={meeting_path}"
        log_in(page, username=username, password=PASSWORD, path=login)
    expect(page.locator("h1")).to_contain_text(TITLE)
    return page.locator("article", has=page.get_by_role("heading", name=re.compile(MOTION)))


def test_a_secretary_schedules_a_meeting_records_attendance_and_the_vote_passes(
    page, browser, live_server, county, csp_violations
):
    usernames = seat_the_council(county)
    group = county.group_a
    schools = list(usernames)
    absent = schools[-1]
    choices = dict(zip(schools[:-1], ["赞成", "赞成", "赞成", "反对"], strict=True))
    # The secretary records the meeting as it goes: it began a few minutes ago (who is present,
    # the votes and the close wait for a meeting to begin).
    began = timezone.localtime() - datetime.timedelta(minutes=5)

    # The secretary finds the council through the dashboard and the group.
    log_in(page, username="secretary", password=PASSWORD)
    expect(page.locator("h1")).to_have_text("工作台")
    page.locator("main").get_by_role("link", name=group.name).first.click()
    expect(page.locator("h1")).to_have_text(group.name)
    page.get_by_role("link", name="理事会、会议与决议").click()
    expect(page.locator("h1")).to_have_text(f"{group.name} · 理事会")
    expect(page.locator("main")).to_contain_text("秘书长：林秘书")
    assert_accessible(page, "secretary-00-council")

    # Schedule: every member school is invited when none is ticked.
    page.get_by_role("link", name="安排会议").click()
    expect(page.locator("h1")).to_have_text("安排会议")
    page.get_by_label("类型").select_option(label="理事会议")
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("开始时间").fill(began.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("地点").fill(f"{county.a0.name}三楼会议室")
    page.get_by_label("议程").fill("上月工作回顾\n审议课例资源库方案\n下月工作安排")
    shoot(page, "secretary-01-meeting-form")
    assert_accessible(page, "secretary-01-meeting-form")
    page.get_by_role("button", name="安排会议").click()

    expect(flash(page, "success")).to_have_text("会议已安排。")
    expect(page.locator("h1")).to_contain_text(TITLE)
    expect(page.locator("h1 .badge")).to_have_text("进行中")  # it began five minutes ago
    main = page.locator("main")
    expect(main).to_contain_text(began.strftime("%Y-%m-%d %H:%M"))
    expect(main.locator("ol li")).to_have_text(
        ["上月工作回顾", "审议课例资源库方案", "下月工作安排"]
    )
    expect(main).to_contain_text("、".join(school.name for school in schools))  # all invited
    too_wide = {"scheduled": wider_than_phone(page)}  # asserted at the end, after the journey
    shoot(page, "secretary-02-meeting-scheduled")
    assert_accessible(page, "secretary-02-meeting-scheduled")
    meeting_path = page.url.removeprefix(live_server.url)

    # Attendance, one form for the table: present for all but one, who is absent with a
    # reason; the reason box shows once 缺席 is chosen.
    for school in schools:
        row = row_of(page, school)
        reason = row.locator("input[name$='-reason']")
        expect(reason).to_be_hidden()
        if school == absent:
            row.get_by_role("combobox").select_option(label="缺席")
            reason.fill("校内活动冲突")
        else:
            row.get_by_role("combobox").select_option(label="出席")
    page.locator("#attendance").locator("button[type=submit]").click()
    expect(flash(page, "success")).to_have_text("出席情况已记录。")
    for school in schools:
        status = "缺席（校内活动冲突）" if school == absent else "出席"
        expect(row_of(page, school).locator("td").nth(1)).to_have_text(status)

    # The motion; the secretary runs the meeting but casts no school's vote.
    page.locator("summary", has_text="提出动议付诸表决").click()
    # The charter text box is there only while the kind is a charter motion.
    charter_text = page.get_by_label("通过的章程文本")
    expect(charter_text).to_be_hidden()
    page.get_by_label("类型").select_option(label="章程制定或修改")
    expect(charter_text).to_be_visible()
    page.get_by_label("类型").select_option(label="一般决议")
    expect(charter_text).to_be_hidden()
    page.get_by_label("动议").fill(MOTION)
    page.get_by_label("内容").fill("各校本学期上传优质课例不少于5节。")
    page.get_by_role("button", name="提出").click()
    expect(flash(page, "success")).to_have_text("动议已列入表决。")
    motion = main.locator("article", has=page.get_by_role("heading", name=re.compile(MOTION)))
    expect(motion.locator(".badge")).to_have_text("表决中")
    expect(motion.get_by_role("button", name="赞成", exact=True)).to_have_count(0)
    expect(motion.get_by_role("button", name="计票")).to_be_visible()
    shoot(page, "secretary-03-attendance-and-motion")
    assert_accessible(page, "secretary-03-attendance-and-motion")

    # The principals of the present schools vote, each in their own browser; a school that has
    # voted sees its vote instead of the buttons.
    for number, (school, choice) in enumerate(choices.items()):
        motion_seen = principal_opens(
            browser,
            live_server.url,
            meeting_path,
            username=usernames[school],
            csp_violations=csp_violations,
            from_home=number == 0,  # the first finds the vote waiting on the dashboard
        )
        expect(motion_seen).to_contain_text(f"代表{school.name}表决")
        if number == 0:
            assert_accessible(motion_seen.page, "secretary-03c-principal-vote-buttons")
        voter = motion_seen.page
        asked = []  # the vote is confirmed first: it cannot be changed
        voter.once(
            "dialog", lambda dialog, asked=asked: (asked.append(dialog.message), dialog.accept())
        )
        motion_seen.get_by_role("button", name=choice, exact=True).click()
        expect(flash(voter, "success")).to_have_text("本校表决意见已记录。")
        assert school.name in asked[0] and "不能更改" in asked[0]
        expect(voter.locator("main article")).to_contain_text(f"{school.name}已投票：{choice}")
        expect(voter.locator("main article").get_by_role("button", name="赞成")).to_have_count(0)
        voter.context.close()

    # The absent school's principal is told why there is nothing to vote with.
    motion_seen = principal_opens(
        browser,
        live_server.url,
        meeting_path,
        username=usernames[absent],
        csp_violations=csp_violations,
    )
    expect(motion_seen).to_contain_text("贵校被记录为出席或委托出席后即可表决。")
    expect(motion_seen.get_by_role("button", name="赞成")).to_have_count(0)
    shoot(motion_seen.page, "secretary-04-absent-school-waits")
    assert_accessible(motion_seen.page, "secretary-04-absent-school-waits")
    motion_seen.page.context.close()

    # Back with the secretary: the four votes are in; counting them gives the outcome.
    page.reload()
    for school, choice in choices.items():
        expect(motion).to_contain_text(f"{school.name}：{choice}")
    motion.get_by_role("button", name="计票").click()
    expect(flash(page, "success")).to_have_text("已完成计票。")
    expect(motion.locator(".badge")).to_have_text("通过")
    expect(motion).to_contain_text("赞成 3 · 反对 1 · 弃权 0 · 出席学校数 4/5")
    expect(motion.get_by_role("button", name="计票")).to_have_count(0)
    too_wide["outcome"] = wider_than_phone(page)
    shoot(page, "secretary-05-outcome")
    assert_accessible(page, "secretary-05-outcome")

    # The follow-up: a due date already past brings the form back open, filled in, the error
    # beside the date; with a later date it is added under the motion.
    page.locator("summary", has_text="添加落实事项").click()
    follow_up = page.locator("#add-action-item")
    expect(follow_up.get_by_label("决议")).to_have_value(str(Resolution.objects.get().pk))
    follow_up.get_by_label("事项").fill(FOLLOW_UP)
    follow_up.get_by_label("责任学校").select_option(label=schools[1].name)
    follow_up.get_by_label("完成时限").fill(str(timezone.localdate() - datetime.timedelta(days=1)))
    follow_up.get_by_role("button", name="添加").click()
    with translation.override("zh-hans"):  # 未保存… once the shared wording is translated
        refused = translation.gettext("Nothing was saved: correct the fields marked below.")
    expect(flash(page, "error")).to_contain_text(refused)
    expect(follow_up.get_by_label("事项")).to_have_value(FOLLOW_UP)
    expect(follow_up.locator("#id_due_on_error")).to_contain_text("不能早于今天")
    shoot(page, "secretary-06-follow-up-refused")
    assert_accessible(page, "secretary-06-follow-up-refused")
    follow_up.get_by_label("完成时限").fill(str(began.date() + datetime.timedelta(days=30)))
    follow_up.get_by_role("button", name="添加").click()
    expect(flash(page, "success")).to_have_text("落实事项已添加。")
    expect(motion).to_contain_text(f"{FOLLOW_UP} · {schools[1].name}")

    # Closing the meeting and approving its minutes cannot be undone: each asks first, and a
    # "no" sends nothing.
    minutes = page.locator("#minutes")
    close = minutes.get_by_role("button", name="结束会议并对全部动议计票")
    page.once("dialog", lambda dialog: dialog.dismiss())
    close.click()
    expect(page.locator("h1 .badge")).to_have_text("进行中")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    close.click()
    expect(flash(page, "success")).to_have_text("会议已结束。")
    assert "无法撤销" in asked[0]
    expect(page.locator("h1 .badge")).to_have_text("已结束")
    minutes.get_by_label("会议纪要").fill("会议审议通过课例资源库方案。")
    minutes.get_by_role("button", name="保存纪要").click()
    expect(flash(page, "success")).to_have_text("会议纪要已保存。")
    page.once("dialog", lambda dialog: dialog.accept())
    minutes.get_by_role("button", name="审定纪要").click()
    expect(flash(page, "success")).to_have_text("会议纪要已审定。")
    expect(page.locator("h1 .badge")).to_have_text("纪要已审定")
    shoot(page, "secretary-07-minutes-approved")
    assert_accessible(page, "secretary-07-minutes-approved")

    resolution = Resolution.objects.get(title=MOTION)
    assert (resolution.outcome, resolution.yes, resolution.no, resolution.abstain) == (
        Outcome.PASSED,
        3,
        1,
        0,
    )
    assert not resolution.votes.filter(school=absent).exists()
    assert too_wide == {"scheduled": [], "outcome": []}, "the meeting page is wider than a phone"
