"""The meeting and council pages as a principal or a secretary meets them on a phone, between
classes: a vote that cannot be mistaken, a count that says who has not voted, every answer
opening where the action was, and the council's meetings before its reference sections."""

import re

import pytest
from django.urls import reverse

from governance import services
from tests.governance.factories import action_item, meeting, passed_resolution

pytestmark = pytest.mark.django_db


def meeting_page(client, of) -> str:
    return client.get(reverse("dashboard:meeting-detail", args=[of.pk])).content.decode()


def act(client, of, action, **data):
    """The action's answer, followed: the address it opens at (with its #anchor) and the page."""
    url = reverse("dashboard:meeting-act", args=[of.pk, action])
    return client.post(url, data, follow=True)


def landed(response) -> str:
    return response.redirect_chain[-1][0]


def council_page(client, county) -> str:
    return client.get(reverse("dashboard:council", args=[county.group_a.pk])).content.decode()


def present(of, *schools, by):
    for school in schools:
        services.attendance_record(meeting=of, school=school, status="present", by=by)


def test_the_vote_buttons_look_apart_and_each_asks_naming_the_choice(english, county):
    of = meeting(county)
    present(of, county.a1, by=county.chair)
    motion = services.resolution_propose(meeting=of, title="通过年度计划", by=county.chair)
    english.force_login(county.principal_a1)
    page = meeting_page(english, of)
    assert "js/confirm.js" in page
    form = page.split('class="vote-form"')[1].split("</form>")[0]
    for choice, asks in (
        ("yes", f"Vote yes on “通过年度计划” for {county.a1.name}? A vote cannot be changed."),
        ("no", f"Vote no on “通过年度计划” for {county.a1.name}? A vote cannot be changed."),
        ("abstain", f"Abstain on “通过年度计划” for {county.a1.name}? A vote cannot be changed."),
    ):
        button = re.search(rf'<button name="choice" value="{choice}"[^>]*>', form).group(0)
        assert f'class="vote {choice}"' in button and f'data-confirm="{asks}"' in button
    assert f'id="resolution-{motion.pk}"' in page


def test_beside_the_count_the_officer_sees_who_of_those_present_has_not_voted(english, county):
    of = meeting(county)
    present(of, county.a0, county.a1, county.a2, by=county.chair)
    motion = services.resolution_propose(meeting=of, title="通过年度计划", by=county.chair)
    services.vote_cast(resolution=motion, school=county.a0, choice="yes", by=county.chair)
    english.force_login(county.chair)
    page = meeting_page(english, of)
    count = page.split('class="inline-form count-form"')[1].split("</form>")[0]
    assert "1/3 present schools voted" in count
    waiting = f"{county.a1.name}, {county.a2.name}"
    assert f"Not voted yet: {waiting}" in page
    asks = f"Count the votes on “通过年度计划” now? Not voted yet: {waiting}."
    assert f'data-confirm="{asks} Their votes will not count."' in count
    # Once every school present has voted, counting asks nothing.
    services.vote_cast(resolution=motion, school=county.a1, choice="no", by=county.principal_a1)
    services.attendance_record(
        meeting=of, school=county.a2, status="absent", reason="外出", by=county.chair
    )
    count = meeting_page(english, of).split('count-form"')[1].split("</form>")[0]
    assert "2/2 present schools voted" in count and "data-confirm" not in count


def test_each_action_opens_the_page_where_it_was_taken(client, county):
    of = meeting(county)
    present(of, county.a1, by=county.chair)
    client.force_login(county.chair)
    page = meeting_page(client, of)
    assert 'id="minutes"' in page and f'id="attendance-{county.a0.pk}"' in page
    detail = reverse("dashboard:meeting-detail", args=[of.pk])
    answer = act(client, of, "attend", **{f"attend-{county.a0.pk}-status": "present"})
    assert landed(answer) == f"{detail}#attendance"
    answer = act(client, of, "propose", title="通过年度计划", kind="ordinary")
    motion = of.resolutions.get()
    assert landed(answer) == f"{detail}#resolution-{motion.pk}"
    client.force_login(county.principal_a1)
    answer = act(client, of, "vote", resolution=motion.pk, choice="yes")
    assert landed(answer) == f"{detail}#resolution-{motion.pk}"
    refused = act(client, of, "vote", resolution=motion.pk, choice="no")  # voted already
    assert landed(refused) == f"{detail}#resolution-{motion.pk}"
    client.force_login(county.chair)
    answer = act(client, of, "decide", resolution=motion.pk)
    assert landed(answer) == f"{detail}#resolution-{motion.pk}"
    assert landed(act(client, of, "close")) == f"{detail}#minutes"
    assert landed(act(client, of, "minutes", minutes="审议通过。")) == f"{detail}#minutes"
    assert landed(act(client, of, "approve")) == f"{detail}#minutes"


def row_of(page: str, school) -> str:
    return page.split(f'<tr id="attendance-{school.pk}"')[1].split("</tr>")[0]


def test_one_form_with_one_button_records_every_school_at_once(english, county):
    of = meeting(county)
    english.force_login(county.chair)
    page = meeting_page(english, of)
    attend = reverse("dashboard:meeting-act", args=[of.pk, "attend"])
    sheet = page.split('<section class="card" id="attendance">')[1].split("</section>")[0]
    assert sheet.count("<form ") == 1 and f'action="{attend}#attendance"' in sheet
    assert sheet.count('type="submit"') == 1 and "Record attendance" in sheet
    # A school not recorded yet starts "not recorded": sending the table leaves it so.
    assert '<option value="" selected>Not recorded</option>' in row_of(page, county.a2)
    answer = act(
        english,
        of,
        "attend",
        **{
            f"attend-{county.a0.pk}-status": "present",
            f"attend-{county.a1.pk}-status": "absent",
            f"attend-{county.a1.pk}-reason": "校内活动冲突",
            f"attend-{county.a2.pk}-status": "",
        },
    )
    assert landed(answer) == reverse("dashboard:meeting-detail", args=[of.pk]) + "#attendance"
    assert "Attendance recorded." in answer.content.decode()
    recorded = {a.school_id: (a.status, a.reason) for a in of.attendance.all()}
    assert recorded == {county.a0.pk: ("present", ""), county.a1.pk: ("absent", "校内活动冲突")}
    # Recorded, a school's select no longer offers "not recorded".
    assert '<option value="">' not in row_of(meeting_page(english, of), county.a0)


def test_a_refused_row_records_nothing_and_each_row_comes_back_as_sent(english, county):
    of = meeting(county)
    services.attendance_record(meeting=of, school=county.a0, status="present", by=county.chair)
    english.force_login(county.chair)
    response = act(
        english,
        of,
        "attend",
        **{
            f"attend-{county.a0.pk}-status": "absent",
            f"attend-{county.a0.pk}-reason": "外出学习",
            f"attend-{county.a1.pk}-status": "absent",
            f"attend-{county.a2.pk}-status": "proxy",
        },
    )
    page = response.content.decode()
    assert [(a.school_id, a.status) for a in of.attendance.all()] == [(county.a0.pk, "present")]
    schools = f"{county.a1.name}, {county.a2.name}"
    assert f"No attendance was recorded: see the rows of {schools}." in page
    first = row_of(page, county.a0)
    assert '<option value="absent" selected>' in first and 'value="外出学习"' in first
    assert 'class="error"' not in first
    a1 = row_of(page, county.a1)
    assert 'class="has-error"' in a1 and '<option value="absent" selected>' in a1
    assert "Reason for absence: Give the reason for the absence." in a1
    assert "Proxy: Name the proxy." in row_of(page, county.a2)
    # The page opens at the first refused row (static/js/attendance.js reads the form's mark).
    assert f'data-first-error="attendance-{county.a1.pk}"' in page
    assert "js/attendance.js" in page


def test_the_reason_and_proxy_boxes_say_for_which_status_they_are(english, county):
    of = meeting(county)
    english.force_login(county.chair)
    row = row_of(meeting_page(english, of), county.a1)
    status = f"attend-{county.a1.pk}-status"  # the row's own select (static/js/shown-when.js)
    reason = re.search(r'<input[^>]*name="attend-\d+-reason"[^>]*>', row).group(0)
    assert 'placeholder="Reason, if absent"' in reason
    assert f'data-shown-when="{status}=absent"' in reason
    proxy = re.search(r'<input[^>]*name="attend-\d+-proxy_name"[^>]*>', row).group(0)
    assert 'placeholder="Proxy, if by proxy"' in proxy
    assert f'data-shown-when="{status}=proxy"' in proxy


def test_a_reason_without_a_status_is_refused_at_its_row(english, county):
    of = meeting(county)
    english.force_login(county.chair)
    data = {f"attend-{county.a1.pk}-reason": "外出"}
    page = act(english, of, "attend", **data).content.decode()
    assert "Attendance: Choose the attendance this is for." in row_of(page, county.a1)
    assert not of.attendance.exists()


def test_sending_the_table_unchanged_writes_nothing(english, county):
    of = meeting(county)
    services.attendance_record(meeting=of, school=county.a1, status="present", by=county.chair)
    of.refresh_from_db()
    before = of.updated_at  # a recorded attendance moves its meeting's (services._touch)
    english.force_login(county.chair)
    answer = act(english, of, "attend", **{f"attend-{county.a1.pk}-status": "present"})
    assert "No attendance was changed." in answer.content.decode()
    of.refresh_from_db()
    assert of.updated_at == before


def test_before_the_meeting_begins_present_is_refused_at_its_row(english, county):
    tomorrow = meeting(county, days_ago=-1)
    english.force_login(county.chair)
    data = {
        f"attend-{county.a0.pk}-status": "absent",
        f"attend-{county.a0.pk}-reason": "外出",
        f"attend-{county.a1.pk}-status": "present",
    }
    page = act(english, tomorrow, "attend", **data).content.decode()
    assert "The meeting begins at" in row_of(page, county.a1)
    assert f"see the rows of {county.a1.name}." in page
    assert not tomorrow.attendance.exists()


def test_recording_many_schools_stays_within_its_queries(
    client, county, django_assert_max_num_queries
):
    of = meeting(county)
    client.force_login(county.chair)
    url = reverse("dashboard:meeting-act", args=[of.pk, "attend"])
    schools = (county.a0, county.a1, county.a2)
    refused = {f"attend-{school.pk}-status": "absent" for school in schools}  # no reasons
    client.post(url, refused)  # content types are read once per process
    # Refused, the page is drawn again: the meeting page's reads and each row's rule.
    with django_assert_max_num_queries(45):
        client.post(url, refused)
    # Each row written is one run of attendance_record (its lock, rule and save, whose
    # validation asks the database about each of the model's constraints).
    with django_assert_max_num_queries(75):
        client.post(url, {f"attend-{school.pk}-status": "present" for school in schools})
    assert of.attendance.count() == 3


def test_before_the_meeting_begins_only_an_absence_is_offered(english, county):
    tomorrow = meeting(county, days_ago=-1)
    english.force_login(county.chair)
    page = meeting_page(english, tomorrow)
    row = page.split(f'<tr id="attendance-{county.a1.pk}">')[1].split("</tr>")[0]
    options = re.findall(r'<option value="(\w+)"', row)
    assert options == ["absent"]
    assert f'type="hidden" name="attend-{county.a1.pk}-proxy_name"' in row  # no proxy to name yet
    assert "Until the meeting begins only an absence can be recorded" in page
    begun = meeting(county, title="今天的会议")
    row = meeting_page(english, begun).split(f'<tr id="attendance-{county.a1.pk}">')[1]
    assert re.findall(r'<option value="(\w+)"', row.split("</tr>")[0]) == [
        "present",
        "absent",
        "proxy",
    ]


@pytest.mark.parametrize(
    ("agenda", "numbered_by_text"),
    [
        (["一、审议年度计划", "二、经费安排"], True),
        (["（一）审议年度计划", "(2) 经费安排", "3. 其他"], True),
        (["2026年工作计划", "十一月活动安排"], False),
        (["一、审议年度计划", "经费安排"], False),
    ],
    ids=["一、", "brackets and digits", "a year, a month", "one item unnumbered"],
)
def test_an_agenda_typed_with_its_own_numbers_is_not_numbered_twice(
    client, county, agenda, numbered_by_text
):
    of = services.meeting_schedule(
        group=county.group_a,
        kind="council",
        title="理事会议",
        starts_at=meeting(county).starts_at,
        place="会议室",
        agenda=agenda,
        by=county.chair,
    )
    client.force_login(county.chair)
    page = meeting_page(client, of)
    assert ('<ol class="numbered-by-text">' in page) is numbered_by_text


def test_the_council_page_lists_its_meetings_before_the_charter(client, county):
    held = meeting(county, title="十一月理事会议")
    services.meeting_close(meeting=held, by=county.chair)  # held: attendance is counted
    client.force_login(county.principal_a1)
    page = council_page(client, county)
    assert page.index('id="meetings"') < page.index('id="action-items"')
    assert page.index('id="action-items"') < page.index('id="charter"')
    meetings = page.split('id="meetings"')[1].split("</section>")[0]
    assert '<table class="stacked">' in meetings
    assert meetings.count("data-label=") == 4
    attendance = page.split('id="attendance-title"')[1].split("</section>")[0]
    assert '<table class="stacked"' in attendance and "data-label=" in attendance


def test_before_the_first_meeting_attendance_says_so_instead_of_every_school_at_0_of_0(
    english, county
):
    meeting(county, days_ago=-3)  # scheduled, not held
    english.force_login(county.chair)
    page = council_page(english, county)
    attendance = page.split('id="attendance-title"')[1].split("</section>")[0]
    assert "No meeting held this school year yet" in attendance
    assert "0 / 0" not in attendance


def test_exports_are_one_menu_shown_once_there_is_something_to_export(english, county):
    votes = reverse("dashboard:group-export", args=[county.group_a.pk, "votes", "csv"])
    actions = reverse("dashboard:group-export", args=[county.group_a.pk, "actions", "csv"])
    english.force_login(county.chair)
    page = council_page(english, county)
    assert 'class="exports"' not in page and votes not in page  # a new council: nothing
    resolution = passed_resolution(county)
    page = council_page(english, county)
    menu = page.split('<details class="exports"><summary>Export</summary>')[1]
    menu = menu.split("</details>")[0]
    assert votes in menu and actions not in menu
    action_item(county, resolution)
    page = council_page(english, county)
    assert page.count(votes) == 1 and page.count(actions) == 1
    assert actions in page.split('class="exports"')[1].split("</details>")[0]


def test_a_refused_progress_note_returns_to_its_row_with_the_form_open(client, county):
    item = action_item(county, passed_resolution(county))
    client.force_login(county.chair)
    url = reverse("dashboard:action-item-progress", args=[item.pk])
    response = client.post(url, {"note": "  "}, follow=True)
    council = reverse("dashboard:council", args=[county.group_a.pk])
    assert landed(response) == f"{council}?item={item.pk}&report=open#item-{item.pk}"
    row = response.content.decode().split(f'<tr id="item-{item.pk}">')[1].split("</tr>")[0]
    assert "<details open>" in row
    # The to-do card's link to the item opens its row with the form folded, as before.
    linked = client.get(council, {"item": item.pk}).content.decode()
    assert "<details open>" not in linked.split(f'<tr id="item-{item.pk}">')[1].split("</tr>")[0]


def test_the_meeting_and_council_pages_stay_within_their_queries(
    client, county, django_assert_max_num_queries
):
    of = meeting(county)
    for n in range(3):
        passed_resolution(county, title=f"决议 {n}", of=of)
    for n in range(3):
        services.resolution_propose(meeting=of, title=f"动议 {n}", by=county.chair)
    for n in range(10):
        meeting(county, title=f"理事会议 {n}", days_ago=n + 1)
    client.force_login(county.chair)
    meeting_page(client, of)  # content types are read once per process
    with django_assert_max_num_queries(23):  # 22, and the group's voting rule
        meeting_page(client, of)
    with django_assert_max_num_queries(25):
        council_page(client, county)


def test_each_rows_boxes_are_named_with_their_school_for_a_screen_reader(client, county):
    of = meeting(county)
    client.force_login(county.chair)
    row = row_of(meeting_page(client, of), county.a1)
    assert f'aria-label="{county.a1.name}：出席情况"' in row
