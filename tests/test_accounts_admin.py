"""The bureau keeps schools' and integrations' sign-in accounts in the admin, and only those."""

import re

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from knox.models import AuthToken

from alliance.services import BUREAU_GROUP_NAME, bureau_user_ensure
from members.models import Staff
from tests.conftest import PASSWORD
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lanterns over the river"


def sign_in(client, username, password, ip="10.0.0.7"):
    data = {"username": username, "password": password}
    return client.post(reverse("login"), data, REMOTE_ADDR=ip)


def test_the_bureau_creates_a_login_and_links_it_to_a_principal(client, county):
    client.force_login(county.bureau)
    created = client.post(
        reverse("admin:auth_user_add"),
        {"username": "wang_principal", "usable_password": "true", "password1": NEW_PASSWORD,
         "password2": NEW_PASSWORD},
    )  # fmt: skip
    assert created.status_code == 302, created.content.decode()[:2000]
    account = User.objects.get(username="wang_principal")
    assert not account.is_staff and not account.is_superuser
    # The staff form's account picker (a pop-up list of accounts) opens for the bureau.
    picker = client.get(reverse("admin:auth_user_changelist"), {"_to_field": "id", "_popup": "1"})
    assert picker.status_code == 200 and "wang_principal" in picker.content.decode()
    client.logout()
    assert sign_in(client, "wang_principal", NEW_PASSWORD).status_code == 302


def test_the_bureau_sets_a_new_password_for_a_teacher_who_forgot_it(client, county):
    client.force_login(county.bureau)
    url = reverse("admin:auth_user_password_change", args=[county.teacher_a1.pk])
    page = client.get(url)
    assert page.status_code == 200 and "teacher_a1" in page.content.decode()
    changed = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert changed.status_code == 302
    client.logout()
    assert sign_in(client, "teacher_a1", NEW_PASSWORD).status_code == 302


def test_the_bureau_neither_sees_nor_changes_staff_or_superuser_accounts(client, county):
    root = User.objects.create_superuser("root", password=PASSWORD)
    colleague = bureau_user_ensure(username="bureau2", password=PASSWORD)
    client.force_login(county.bureau)
    listed = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "teacher_a1" in listed
    assert "root" not in listed and "bureau2" not in listed
    for account in (root, colleague):
        url = reverse("admin:auth_user_password_change", args=[account.pk])
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code
            == 404
        )
    root.refresh_from_db()
    assert root.check_password(PASSWORD)


def test_the_bureau_cannot_make_an_account_staff_superuser_or_give_it_permissions(client, county):
    client.force_login(county.bureau)
    teacher = county.teacher_a1
    url = reverse("admin:auth_user_change", args=[teacher.pk])
    page = client.get(url).content.decode()
    assert 'name="is_active"' in page
    assert 'name="is_superuser"' not in page and 'name="is_staff"' not in page
    assert 'name="groups"' not in page and 'name="user_permissions"' not in page
    saved = client.post(
        url,
        {"username": teacher.username, "last_name": "李", "first_name": "明", "email": "",
         "is_active": "on", "is_staff": "on", "is_superuser": "on", "groups": ["1"]},
    )  # fmt: skip
    assert saved.status_code == 302
    teacher.refresh_from_db()
    assert teacher.last_name == "李"
    assert not teacher.is_staff and not teacher.is_superuser and not teacher.groups.exists()


def test_the_bureau_lifts_a_lock_out_and_the_teacher_signs_in_again(client, county):
    for _ in range(5):
        sign_in(client, "teacher_a1", "wrong")
    assert sign_in(client, "teacher_a1", PASSWORD).status_code == 429
    client.force_login(county.bureau)
    listed = client.get(reverse("admin:auth_user_changelist"), {"q": "teacher_a1"})
    row = re.search(r"<tr>(?:(?!</tr>).)*>teacher_a1</a>.*?</tr>", listed.content.decode(), re.S)
    assert 'alt="True"' in row.group(0)  # the 已锁定 column
    done = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "unlock", "_selected_action": [county.teacher_a1.pk]},
        follow=True,
    )
    assert "已解除 1 个账号的登录锁定" in done.content.decode()
    history = client.get(reverse("admin:auth_user_history", args=[county.teacher_a1.pk]))
    assert "已解除登录锁定" in history.content.decode()
    client.logout()
    assert sign_in(client, "teacher_a1", PASSWORD).status_code == 302


def test_a_principal_has_no_account_pages(client, county):
    client.force_login(county.principal_a1)
    response = client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_account_list_runs_a_bounded_number_of_queries(
    client, county, django_assert_max_num_queries
):
    UserFactory.create_batch(30)
    client.force_login(county.bureau)
    client.get(reverse("admin:auth_user_changelist"))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("admin:auth_user_changelist")).status_code == 200


def test_accounts_with_a_role_group_or_permission_are_the_operators(client, county):
    """An integration account given the bureau role, or a permission of its own, is as strong
    as a bureau account: the bureau must not set its password and sign in as it."""
    role_holder = UserFactory(username="sync_bureau")
    role_holder.groups.add(Group.objects.get(name=BUREAU_GROUP_NAME))
    permitted = UserFactory(username="permitted")
    permitted.user_permissions.add(Permission.objects.get(codename="oversee_groups"))
    client.force_login(county.bureau)
    listed = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "sync_bureau" not in listed and "permitted" not in listed
    for account in (role_holder, permitted):
        url = reverse("admin:auth_user_password_change", args=[account.pk])
        assert (
            client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code
            == 404
        )


def test_a_staff_record_is_linked_only_to_an_account_the_bureau_keeps(client, county):
    root = User.objects.create_superuser("root", password=PASSWORD)
    staff = Staff.objects.get(user=county.teacher_a1)
    client.force_login(county.bureau)
    url = reverse("admin:members_staff_change", args=[staff.pk])
    form = client.get(url).context["adminform"].form
    data = {**form.initial, "school": staff.school_id, "user": root.pk, "stages": []}
    data = {key: value for key, value in data.items() if value is not None}
    refused = client.post(url, data)
    assert refused.status_code == 200 and "user" in refused.context["adminform"].form.errors
    staff.refresh_from_db()
    assert staff.user == county.teacher_a1


def test_a_new_password_or_a_switch_off_ends_the_accounts_api_tokens(client, api, county):
    def token_works(token):
        return api.get("/api/v1/groups/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200

    _instance, token = AuthToken.objects.create(user=county.teacher_a1)
    client.force_login(county.bureau)
    url = reverse("admin:auth_user_password_change", args=[county.teacher_a1.pk])
    client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert not token_works(token)

    _instance, token = AuthToken.objects.create(user=county.teacher_a1)
    teacher = county.teacher_a1
    change = reverse("admin:auth_user_change", args=[teacher.pk])
    client.post(
        change, {"username": teacher.username, "last_name": "", "first_name": "", "email": ""}
    )
    teacher.refresh_from_db()
    assert not teacher.is_active and not AuthToken.objects.filter(user=teacher).exists()


def test_changing_ones_own_password_ends_ones_api_tokens(client, api, county):
    _instance, token = AuthToken.objects.create(user=county.principal_a1)
    client.force_login(county.principal_a1)
    changed = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert api.get("/api/v1/groups/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401


def test_the_bureau_sees_and_revokes_only_its_own_and_its_accounts_tokens(client, county):
    root = User.objects.create_superuser("root", password=PASSWORD)
    AuthToken.objects.create(user=root)
    AuthToken.objects.create(user=county.teacher_a1)
    client.force_login(county.bureau)
    listed = client.get(reverse("admin:knox_authtoken_changelist")).content.decode()
    assert "teacher_a1" in listed and "root" not in listed
