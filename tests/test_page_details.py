"""Details people met on the pages: the language switch, a mistyped meeting address, long file
names and fields on a phone, punctuation in English, the login error read out."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from governance import services
from tests.governance.factories import action_item, meeting, passed_resolution

pytestmark = pytest.mark.django_db

SITE_CSS = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"


def language_form(page: str) -> str:
    start = page.index('action="/i18n/setlang/"')
    return page[start : page.index("</form>", start)]


def test_the_language_switches_only_with_its_visible_button(client):
    page = client.get(reverse("login")).content.decode()
    form = language_form(page)
    # Nothing submits on change (a keyboard user arrows through the options), and the button
    # is there for everyone, not only without JavaScript.
    assert "language.js" not in page and "data-submit-on-change" not in form
    assert "<noscript>" not in form
    assert re.search(r'<button type="submit"[^>]*>切换</button>', form)


def test_each_language_is_named_in_its_own_language(client):
    form = language_form(client.get(reverse("login")).content.decode())
    assert re.search(r'<option value="zh-hans" lang="zh-hans"[^>]*>简体中文</option>', form)
    assert re.search(r'<option value="en" lang="en"[^>]*>English</option>', form)


def test_a_mistyped_meeting_action_is_not_found(english, county):
    english.force_login(county.chair)
    url = reverse("dashboard:meeting-act", args=[meeting(county).pk, "bogus"])
    for response in (english.get(url), english.post(url)):
        assert response.status_code == 404
        assert "This page does not exist" in response.content.decode()


def test_opening_a_meeting_actions_address_shows_the_meeting_and_changes_nothing(english, county):
    english.force_login(county.chair)
    held = meeting(county, title="Autumn council")
    response = english.get(reverse("dashboard:meeting-act", args=[held.pk, "close"]))
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "<h1>Autumn council" in response.content.decode()
    held.refresh_from_db()
    assert held.status == "scheduled"


def test_a_long_file_name_wraps_instead_of_widening_the_page(client, county):
    client.force_login(county.chair)
    held = meeting(county)
    name = "jituanhuabanxue" * 6 + ".pdf"  # no space to break at
    client.post(
        reverse("dashboard:meeting-act", args=[held.pk, "attach"]),
        {"file": SimpleUploadedFile(name, PDF)},
    )
    page = client.get(reverse("dashboard:meeting-detail", args=[held.pk])).content.decode()
    assert re.search(rf'<p class="attachment"><a href="[^"]+">{name}</a>', page)
    assert ".attachment { overflow-wrap: anywhere; }" in SITE_CSS


def test_on_a_phone_the_reason_for_absence_has_a_line_of_its_own():
    phone = SITE_CSS[SITE_CSS.rindex("@media (max-width: 600px)") :]
    assert '.attendance-form input[type="text"] { flex-basis: 100%; }' in phone


def test_an_open_action_item_reads_with_english_punctuation_in_english(english, county):
    english.force_login(county.chair)
    item = action_item(county, passed_resolution(county), description="Upload lessons")
    url = reverse("dashboard:quarterly-report", args=[county.group_a.pk])
    page = english.get(url).content.decode()
    due = item.due_on.isoformat()
    assert f"Upload lessons — {county.a1.name}, due on {due}" in page
    assert "，" not in page


def test_the_invited_are_listed_with_english_punctuation_in_english(english, county):
    english.force_login(county.chair)
    teacher = county.teacher_a1.staff
    invited = services.meeting_schedule(
        group=county.group_a,
        kind="council",
        title="Council",
        starts_at=timezone.now(),
        place="Room 1",
        by=county.chair,
        invited_schools=[county.a0, county.a1],
        invited_people=[teacher],
    )
    page = english.get(reverse("dashboard:meeting-detail", args=[invited.pk])).content.decode()
    assert f"<dd>{county.a0.name}, {county.a1.name}; {teacher.name}</dd>" in page
    assert "、" not in page and "；" not in page


def test_a_meeting_with_only_invited_people_starts_with_no_separator(english, county):
    english.force_login(county.chair)
    held = meeting(county)
    held.invited_schools.clear()
    held.invited_people.set([county.teacher_a1.staff])
    page = english.get(reverse("dashboard:meeting-detail", args=[held.pk])).content.decode()
    assert f"<dd>{county.teacher_a1.staff.name}</dd>" in page


def test_a_refused_login_is_announced_to_screen_readers(english, county):
    response = english.post(reverse("login"), {"username": "chair", "password": "wrong"})
    alert = re.search(
        r'<div class="flash error" role="alert">(.*?)</div>', response.content.decode()
    )
    assert alert and "Please enter a correct username and password" in alert.group(1)


def test_a_form_refused_for_a_field_is_announced_not_only_marked(english, county):
    """Only form-wide errors had role=alert; a field's error was read when its field was reached."""
    english.force_login(county.chair)
    url = reverse("dashboard:meeting-new", args=[county.group_a.pk])
    page = english.post(url, {"kind": "council", "title": ""}).content.decode()
    alert = re.search(r'<div class="flash error" role="alert">(.*?)</div>', page, re.S).group(1)
    assert "Correct the fields marked below." in alert


def test_a_refused_form_on_the_meeting_page_is_announced_once(english, county):
    """The page's message says so already; a second alert repeated it."""
    english.force_login(county.chair)
    url = reverse("dashboard:meeting-act", args=[meeting(county).pk, "propose"])
    page = english.post(url, {"title": "", "kind": "ordinary"}).content.decode()
    assert page.count('role="alert"') == 1
    assert "Nothing was saved: see the form below." in page
