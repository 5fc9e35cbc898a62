from members import services
from members.selectors import membership_history
from tests.conftest import join
from tests.members.factories import SchoolFactory, past


def test_membership_history_counts_members_besides_the_lead_as_they_join_and_leave(county):
    group, bureau = county.group_a, county.bureau
    history = membership_history(group=group, until=past(0))
    # The fixture: A1 and A2 approved 290 days ago, the lead school never counted.
    assert history[0] == (group.founded_on, 0)
    assert history[-1] == (past(0), 2)
    newcomer = SchoolFactory()
    join(school=newcomer, group=group, by=bureau)  # approved on past(290) too
    leaving = group.memberships.get(school=county.a1)
    services.membership_withdraw(membership=leaving, by=bureau, notice_on=past(10))
    history = dict(membership_history(group=group, until=past(0)))
    assert history[past(290)] == 3
    assert history[leaving.__class__.objects.get(pk=leaving.pk).left_on] == 2
    assert history[past(0)] == 2


def test_membership_history_ignores_what_happens_after_the_day_asked_about(county):
    history = membership_history(group=county.group_a, until=past(300))
    assert history[-1] == (past(300), 0)
