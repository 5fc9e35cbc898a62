import datetime

import factory
from django.contrib.auth.models import User

from members.models import Post, School, Staff


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-for-tests-1")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"青溪县第{n}小学")
    code = factory.Sequence(lambda n: f"31{n:08d}")
    district = "城关镇"

    @factory.post_generation
    def stages(self, create, extracted, **kwargs):
        if create:
            self.stages.set(extracted or ["primary"])


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    name = factory.Sequence(lambda n: f"教师{n}")
    staff_no = factory.Sequence(lambda n: f"T{n:06d}")
    school = factory.SubFactory(SchoolFactory)
    subject = "语文"
    post = Post.TEACHER


def past(days: int) -> datetime.date:
    return datetime.date.today() - datetime.timedelta(days=days)
