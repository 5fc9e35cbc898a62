from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from alliance.api.input import WritableFieldsOnly
from governance.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Choice,
    CouncilSeat,
    Meeting,
    MeetingAttachment,
    Outcome,
    ProgressNote,
    Resolution,
    Vote,
)
from members.api.serializers import SchoolRefSerializer
from members.models import School, Staff


class SeatSerializer(serializers.ModelSerializer):
    holder = serializers.CharField(source="holder.name", read_only=True)
    holder_id = serializers.IntegerField(
        read_only=True, help_text="The holder's staff record (/api/v1/staff/{id}/)."
    )
    school = SchoolRefSerializer(read_only=True)

    class Meta:
        model = CouncilSeat
        fields = [
            "id",
            "group",
            "role",
            "holder",
            "holder_id",
            "school",
            "starts_on",
            "ends_on",
            "updated_at",
        ]


class SeatInputSerializer(WritableFieldsOnly, serializers.ModelSerializer):
    ends_on = serializers.DateField(required=False)

    class Meta:
        model = CouncilSeat
        fields = ["group", "role", "holder", "starts_on", "ends_on"]


class SeatEndSerializer(WritableFieldsOnly, serializers.Serializer):
    last_day = serializers.DateField(required=False, help_text="Default: today.")


class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["position", "title"]


class AttendanceSerializer(serializers.ModelSerializer):
    school = SchoolRefSerializer(read_only=True)

    class Meta:
        model = Attendance
        fields = ["school", "person", "status", "reason", "proxy_name"]


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(
        help_text="The download page, for a signed-in browser; API clients use download_url."
    )
    download_url = serializers.SerializerMethodField(
        help_text="The file, for API clients (GET with the token)."
    )

    class Meta:
        model = MeetingAttachment
        fields = [
            "id",
            "original_name",
            "content_type",
            "size",
            "uploaded_at",
            "url",
            "download_url",
        ]

    def get_url(self, attachment) -> str:
        return reverse("dashboard:attachment", args=[attachment.pk])

    def get_download_url(self, attachment) -> str:
        return reverse("api:attachment-download", args=[attachment.pk])


class AttachmentInputSerializer(WritableFieldsOnly, serializers.Serializer):
    file = serializers.FileField()


class MeetingSerializer(serializers.ModelSerializer):
    agenda = AgendaItemSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    attendance = AttendanceSerializer(many=True, read_only=True)
    host_school = SchoolRefSerializer(read_only=True, allow_null=True)
    # A plain string: the model's URLField(blank=True) becomes a oneOf that "" matches twice.
    online_link = serializers.CharField(
        label=_("online link"), read_only=True, help_text="Empty when there is none."
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "group",
            "kind",
            "title",
            "starts_at",
            "place",
            "online_link",
            "host_school",
            "status",
            "cancel_reason",
            "agenda",
            "invited_schools",
            "invited_people",
            "invites_every_member",
            "attendance",
            "attachments",
            "minutes",
            "minutes_approved_at",
            "updated_at",
        ]


class MeetingInputSerializer(WritableFieldsOnly, serializers.ModelSerializer):
    agenda = serializers.ListField(
        child=serializers.CharField(max_length=AgendaItem._meta.get_field("title").max_length),
        required=False,
    )

    class Meta:
        model = Meeting
        fields = [
            "group",
            "kind",
            "title",
            "starts_at",
            "place",
            "online_link",
            "host_school",
            "agenda",
            "invited_schools",
            "invited_people",
        ]
        extra_kwargs = {
            "invited_schools": {
                "help_text": "Default: every school that is a member on the meeting's day, one "
                "that joins later included."
            },
        }


class AttendanceInputSerializer(WritableFieldsOnly, serializers.Serializer):
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.all())
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)
    person = serializers.PrimaryKeyRelatedField(
        queryset=Staff.objects.all(),
        required=False,
        allow_null=True,
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    proxy_name = serializers.CharField(required=False, allow_blank=True, default="")


class RescheduleSerializer(WritableFieldsOnly, serializers.ModelSerializer):
    class Meta:
        model = Meeting
        fields = ["starts_at", "place", "online_link", "host_school"]
        extra_kwargs = {
            "host_school": {"help_text": "Left out: the meeting keeps its host; null: no host."}
        }


class CancelSerializer(WritableFieldsOnly, serializers.Serializer):
    reason = serializers.CharField(max_length=Meeting._meta.get_field("cancel_reason").max_length)


class MinutesSerializer(WritableFieldsOnly, serializers.Serializer):
    minutes = serializers.CharField()  # blank is refused, as on the page


class VoteSerializer(serializers.ModelSerializer):
    school = SchoolRefSerializer(read_only=True)

    class Meta:
        model = Vote
        fields = ["school", "choice", "cast_at", "counted"]


class ResolutionSerializer(serializers.ModelSerializer):
    votes = VoteSerializer(many=True, read_only=True)
    # read_only_fields drops the model's blank=True, and with it "" from the documented enum.
    outcome = serializers.ChoiceField(
        choices=Outcome.choices,
        allow_blank=True,
        label=_("outcome"),
        read_only=True,
        help_text="Empty until the vote is decided.",
    )

    class Meta:
        model = Resolution
        fields = [
            "id",
            "meeting",
            "title",
            "text",
            "kind",
            "charter_text",
            "school",
            "corrects",
            "outcome",
            "yes",
            "no",
            "abstain",
            "schools_present",
            "member_schools",
            "decided_at",
            "updated_at",
            "votes",
        ]
        # Every count and the outcome are computed by the service when the vote is decided.
        read_only_fields = fields


class ResolutionInputSerializer(WritableFieldsOnly, serializers.ModelSerializer):
    class Meta:
        model = Resolution
        fields = ["meeting", "title", "text", "kind", "charter_text", "school", "corrects"]


class VoteInputSerializer(WritableFieldsOnly, serializers.Serializer):
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.all())
    choice = serializers.ChoiceField(choices=Choice.choices)


class ProgressNoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressNote
        fields = ["note", "at"]


class ActionItemSerializer(serializers.ModelSerializer):
    notes = ProgressNoteSerializer(many=True, read_only=True)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "resolution",
            "description",
            "owner_school",
            "owner_person",
            "due_on",
            "done_on",
            "notes",
            "updated_at",
        ]
        read_only_fields = fields


class ActionItemInputSerializer(WritableFieldsOnly, serializers.ModelSerializer):
    class Meta:
        model = ActionItem
        fields = ["resolution", "description", "owner_school", "owner_person", "due_on"]


class ProgressInputSerializer(WritableFieldsOnly, serializers.Serializer):
    note = serializers.CharField(allow_blank=True)
    done = serializers.BooleanField(required=False, default=False)
