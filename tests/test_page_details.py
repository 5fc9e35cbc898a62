"""Details people met on the pages: the language switch, a mistyped meeting address, long file
names and fields on a phone, punctuation in English, the login error read out; the top bar, tap
targets and anchored sections on a phone."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from governance import services
from tests.governance.factories import action_item, meeting, passed_resolution
from tests.site_css import SITE_CSS, declarations, media

pytestmark = pytest.mark.django_db

MESSAGES_JS = (Path(settings.BASE_DIR) / "static" / "js" / "messages.js").read_text()
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"


def topbar(page: str) -> str:
    return page[page.index('<header class="topbar">') : page.index("</header>")]


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
    phone = media("(max-width: 600px)")
    assert "flex-basis: 100%;" in declarations(phone, '.attendance-form input[type="text"]')


def test_an_open_action_item_reads_with_english_punctuation_in_english(english, county):
    english.force_login(county.chair)
    item = action_item(county, passed_resolution(county), description="Upload lessons")
    url = reverse("dashboard:quarterly-report", args=[county.group_a.pk])
    page = english.get(url).content.decode()
    due = item.due_on.isoformat()
    day = f'<time class="date" datetime="{due}">{due}</time>'
    assert f"Upload lessons — {county.a1.name}, due on {day}" in page
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
    assert "Nothing was saved: correct the fields marked below." in alert


def test_a_refused_form_on_the_meeting_page_is_announced_once(english, county):
    """The page's message says so already; a second alert repeated it."""
    english.force_login(county.chair)
    url = reverse("dashboard:meeting-act", args=[meeting(county).pk, "propose"])
    page = english.post(url, {"title": "", "kind": "ordinary"}).content.decode()
    assert page.count('role="alert"') == 1
    assert "Nothing was saved: correct the fields marked below." in page


def test_on_a_phone_the_top_bar_folds_the_account_and_the_language_into_a_menu(english, county):
    """The bar took 3–4 rows of a phone's screen; now the name and links, then who is signed
    in and the menu's button. Wider, the menu's button is not shown and all stands in a row."""
    english.force_login(county.principal_a1)
    bar = topbar(english.get(reverse("dashboard:home")).content.decode())
    shown, menu = bar.split('<details class="account">')
    assert 'class="badge"' in shown  # the role stays in sight
    assert re.match(r'\s*<summary><span class="long-name">Account and language</span>', menu)
    assert county.a1.name in menu and reverse("password_change") in menu
    # Still a form of its own with its button: nothing switches on change, with or without JS.
    switch = r'action="/i18n/setlang/".*<button type="submit"[^>]*>Switch</button>'
    assert re.search(switch, menu, re.S)
    assert f'action="{reverse("logout")}"' in menu
    phone, wide = media("(max-width: 600px)"), media("(min-width: 601px)")
    assert "position: absolute;" in declarations(phone, ".account-menu")
    assert "display: none;" in declarations(wide, ".account > summary")
    assert "content-visibility: visible;" in declarations(wide, ".account::details-content")


def test_on_a_phone_the_top_bar_shows_short_names_and_reads_out_the_full_ones(english, county):
    """In English the name and the links, then the role and "Account and language", each took
    two rows at 375px: a three-row bar. The full names stay the link's and the button's names."""
    english.force_login(county.chair)
    bar = topbar(english.get(reverse("dashboard:home")).content.decode())
    assert (
        '<a class="brand" href="/"><span class="long-name">Group schooling platform</span>'
        '<span class="short-name" aria-hidden="true">Group schooling</span></a>'
    ) in bar
    assert (
        '<summary><span class="long-name">Account and language</span>'
        '<span class="short-name" aria-hidden="true">Account</span></summary>'
    ) in bar
    english.force_login(county.bureau)
    bar = topbar(english.get(reverse("dashboard:home")).content.decode())
    assert (
        '<span class="long-name">Administration</span>'
        '<span class="short-name" aria-hidden="true">Admin</span></a>'
    ) in bar
    assert "display: none;" in declarations(SITE_CSS, ".topbar .short-name")
    phone = media("(max-width: 600px)")
    assert "display: inline;" in declarations(phone, ".topbar .short-name")
    hidden = declarations(phone, ".topbar .long-name")
    assert "position: absolute;" in hidden and "clip: rect(0 0 0 0);" in hidden


def test_signed_out_the_language_switch_stands_in_the_top_bar(client):
    bar = topbar(client.get(reverse("login")).content.decode())
    assert "<details" not in bar and 'action="/i18n/setlang/"' in bar


def test_logging_out_stands_apart_from_changing_the_password(client, county):
    """退出登录 sat 0.5rem from 修改密码: a slip signed the person out."""
    client.force_login(county.chair)
    bar = topbar(client.get(reverse("dashboard:home")).content.decode())
    password, language, logout = (
        bar.index(reverse("password_change")),
        bar.index('action="/i18n/setlang/"'),
        bar.index(f'action="{reverse("logout")}"'),
    )
    assert password < language < logout  # the language switch between them
    assert "border-left:" in declarations(media("(min-width: 601px)"), ".account-menu .logout")
    assert "border-top:" in declarations(media("(max-width: 600px)"), ".account-menu > * + *")


def test_a_keyboard_user_skips_the_top_bar_to_the_page(client, county):
    client.force_login(county.chair)
    page = client.get(reverse("dashboard:home")).content.decode()
    body = page[page.index("<body>") + len("<body>") :].lstrip()
    assert body.startswith('<a class="skip-link" href="#main">')  # the first stop of Tab
    assert '<main id="main">' in page
    assert "top: -10rem;" in declarations(SITE_CSS, ".skip-link")
    assert "top: .5rem;" in declarations(SITE_CSS, ".skip-link:focus")


def test_on_a_touch_screen_or_a_phone_every_control_is_at_least_44px_tall():
    """Small buttons were 28px tall, the top bar's links 26px, the pager's 26px, a checkbox
    13px, a summary 22px."""
    touch = media("(pointer: coarse), (max-width: 600px)")
    controls = "button, .button, select, " + (
        'input:not([type="checkbox"], [type="radio"], [type="hidden"])'
    )
    assert "min-height: 44px;" in declarations(touch, controls)
    assert "min-height: 44px;" in declarations(touch, ".brand, .nav a, .account-menu a, .pager a")
    assert "min-height: 44px;" in declarations(touch, "summary")
    checkbox_label = 'label:has(input[type="checkbox"], input[type="radio"])'
    assert "min-height: 44px;" in declarations(touch, checkbox_label)
    assert "min-width: 44px;" in declarations(touch, ".messages .flash button.dismiss")
    # A desktop with a mouse keeps the compact small buttons.
    assert "min-height" not in declarations(SITE_CSS, ".inline-form button.small, button.small")


def test_what_the_address_opens_at_stops_below_the_sticky_messages():
    """The sticky message covered the first label of a form that came back, and the heading
    of the section the page opened at."""
    margin = declarations(SITE_CSS, ":where(main [id])")
    assert "scroll-margin-top: calc(var(--messages-height, 0px) + .5rem);" in margin
    assert "--messages-height: 4.5rem;" in declarations(SITE_CSS, "main:has(> .messages)")
    # The messages' real height, as they wrap or are put away.
    measure = 'main.style.setProperty("--messages-height", `${messages.offsetHeight}px`)'
    assert measure in MESSAGES_JS
    assert "new ResizeObserver(measure).observe(messages)" in MESSAGES_JS


def test_on_a_phone_a_search_box_has_a_line_of_its_own():
    """Beside the filters, "按集团或龙头学校名称搜索" was cut to "…名称搜"."""
    phone = media("(max-width: 600px)")
    assert "flex-basis: 100%;" in declarations(phone, '.search input[type="search"]')


def test_on_a_phone_a_column_name_on_two_lines_does_not_run_into_the_next():
    phone = media("(max-width: 600px)")
    assert "display: flow-root;" in declarations(phone, ".stacked td[data-label]")
    assert "float: left;" in declarations(phone, ".stacked td[data-label]::before")


def test_the_login_page_says_who_resets_a_forgotten_password(english):
    page = english.get(reverse("login")).content.decode()
    form = page[page.index('<form method="post" class="card form">') :]
    assert "If you have forgotten your password, ask the education bureau" in form


@pytest.mark.django_db
def test_chinese_form_labels_end_in_the_full_width_colon(client):
    page = client.get(reverse("login")).content.decode()
    assert "用户名：</label>" in page and "用户名:</label>" not in page
