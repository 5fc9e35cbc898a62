from rest_framework import serializers

from alliance.api.input import RECORD_STAMPS, WritableFieldsOnly
from alliance.models import SchoolGroup
from members.api.serializers import SchoolRefSerializer
from members.models import School, Stage


class GroupSerializer(serializers.ModelSerializer):
    lead_school = SchoolRefSerializer(read_only=True)
    stage = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="Null for a group that spans stages.",
    )
    member_cap = serializers.IntegerField(
        read_only=True, help_text="Member schools the group may have besides the lead school."
    )
    member_count = serializers.IntegerField(
        read_only=True,
        help_text="Current member schools besides the lead school: what member_cap limits.",
    )
    current_member_count = serializers.IntegerField(
        read_only=True, help_text="Current member schools, the lead school included."
    )

    class Meta:
        model = SchoolGroup
        fields = [
            "id",
            "name",
            "mode",
            "stage",
            "lead_school",
            "founded_on",
            "status",
            "dissolved_on",
            "charter",
            "member_cap",
            "member_cap_override",
            "member_count",
            "current_member_count",
            "created_at",
            "updated_at",
        ]


class GroupCreateSerializer(WritableFieldsOnly, serializers.ModelSerializer):
    stage = serializers.SlugRelatedField(
        slug_field="code", queryset=Stage.objects.all(), required=False, allow_null=True
    )
    lead_school = serializers.PrimaryKeyRelatedField(queryset=School.objects.all())

    class Meta:
        model = SchoolGroup
        fields = [
            "name",
            "mode",
            "stage",
            "lead_school",
            "founded_on",
            "charter",
            "member_cap_override",
        ]
        extra_kwargs = {"name": {"validators": []}}


class GroupUpdateSerializer(GroupCreateSerializer):
    echoed = RECORD_STAMPS

    class Meta(GroupCreateSerializer.Meta):
        fields = ["name", "mode", "stage", "charter", "member_cap_override"]


class GroupDissolveSerializer(WritableFieldsOnly, serializers.Serializer):
    # Required: the service refuses a blank one, with its own message.
    reason = serializers.CharField(allow_blank=True, help_text="Why the group is dissolved.")
    dissolved_on = serializers.DateField(required=False)
