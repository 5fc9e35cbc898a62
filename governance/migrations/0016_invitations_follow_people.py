"""Meetings to come stop inviting by name the people who moved school or left their post
before governance.services.council_follows_staff did it as they go: those invited who are in
post at a school the meeting invites stay, as _fit_invitations keeps them from now on. Each
meeting changed gets a line in its trail by the system, with its snapshot of whom it invites."""

import importlib

from django.db import migrations
from django.utils import timezone

# The trail line and snapshot as 0015 writes them (frozen with it).
earlier = importlib.import_module("governance.migrations.0015_counted_votes_and_invitations")

UPGRADE = "系统升级：受邀人员随其调动、离岗调整"


def uninvite_people_gone(apps, schema_editor):
    Meeting = apps.get_model("governance", "Meeting")
    HistoricalMeeting = apps.get_model("governance", "HistoricalMeeting")
    to_come = Meeting.objects.filter(status="scheduled", starts_at__gt=timezone.now())
    for meeting in to_come.filter(invited_people__isnull=False).distinct():
        schools = set(meeting.invited_schools.values_list("pk", flat=True))
        people = meeting.invited_people.values_list("pk", "school_id", "is_active")
        kept = {person for person, school, in_post in people if in_post and school in schools}
        if len(kept) == len(people):
            continue
        meeting.invited_people.set(kept)
        meeting.save(update_fields=["updated_at"])  # a sync fetches it again
        line = earlier._trail_line(HistoricalMeeting, meeting)
        line.history_change_reason = UPGRADE
        line.save(update_fields=["history_change_reason"])
        earlier._snapshot(apps, line, meeting)


class Migration(migrations.Migration):
    dependencies = [("governance", "0015_counted_votes_and_invitations")]

    operations = [migrations.RunPython(uninvite_people_gone, migrations.RunPython.noop)]
