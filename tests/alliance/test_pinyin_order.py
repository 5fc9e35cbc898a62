"""Names in the order a Chinese reader looks them up: by pinyin (阿, 李, 王, 张), not by code
point (张 U+5F20 before 李 U+674E). PostgreSQL's ICU collation gives it; SQLite has none."""

import pytest
from django.db import connection
from django.urls import reverse

from members.selectors import staff_in_post_visible_to
from tests.alliance.factories import make_group
from tests.members.factories import SchoolFactory, StaffFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="ICU collation: PostgreSQL"),
]


def test_the_bureau_finds_the_groups_in_pinyin_order(client, county):
    for name in ("张村教育集团", "阿坝路教育集团", "王庄教育集团", "李家教育集团"):
        make_group(by=county.bureau, name=name)
    client.force_login(county.bureau)
    page = client.get(reverse("dashboard:group-list"), {"q": "教育集团"}).content.decode()
    shown = [name for name in ("阿坝路", "李家", "王庄", "张村") if name in page]
    assert sorted(shown, key=page.index) == ["阿坝路", "李家", "王庄", "张村"]


def test_an_officer_picks_a_schools_people_in_pinyin_order(county):
    for name in ("张敏", "阿依", "王芳", "李强"):
        StaffFactory(school=county.a2, name=name)
    people = staff_in_post_visible_to(county.chair, school_ids={county.a2.pk})
    assert list(people.values_list("name", flat=True)) == ["阿依", "李强", "王芳", "张敏"]


def test_an_integration_orders_groups_and_schools_by_name_in_pinyin(api, county):
    for name in ("张村教育集团", "阿坝路教育集团", "王庄教育集团", "李家教育集团"):
        make_group(by=county.bureau, name=name, lead=SchoolFactory(name=name[:-4] + "小学"))
    api.force_authenticate(county.bureau)
    mine = ("阿坝路", "李家", "王庄", "张村")
    groups = api.get("/api/v1/groups/", {"ordering": "name"}).json()["results"]
    assert [g["name"][:-4] for g in groups if g["name"][:-4] in mine] == list(mine)
    schools = api.get("/api/v1/schools/", {"ordering": "-name"}).json()["results"]
    assert [s["name"][:-2] for s in schools if s["name"][:-2] in mine] == list(reversed(mine))
