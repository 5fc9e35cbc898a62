from alliance import services
from alliance.models import GroupMode, SchoolGroup
from tests.members.factories import SchoolFactory, past


def make_group(*, by, mode: str = GroupMode.ALLIANCE, lead=None, **extra) -> SchoolGroup:
    """Groups are founded through the service, as in the product: the lead joins as member."""
    return services.group_create(
        name=extra.pop("name", f"集团{SchoolGroup.objects.count() + 1}"),
        mode=mode,
        lead_school=lead or SchoolFactory(),
        founded_on=extra.pop("founded_on", past(400)),
        by=by,
        **extra,
    )
