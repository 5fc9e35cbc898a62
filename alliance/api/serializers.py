from collections.abc import Mapping

from django.utils.translation import gettext as _
from rest_framework import serializers

from alliance.models import SchoolGroup
from members.api.serializers import SchoolRefSerializer
from members.models import School, Stage

# Sent by the browsable API's forms with the fields: not a field of any record.
FORM_KEYS = {"csrfmiddlewaretoken"}


class WritableFieldsOnly:
    """An input serializer that refuses, by name, a key it would otherwise drop.

    DRF ignores keys that are not writable fields: `{"status": "dissolved"}` answered 200 and
    changed nothing, and the client took the change for done. Mix in before the DRF class;
    a refused key is reported with the other fields' errors, all in one 400.
    """

    def to_internal_value(self, data):
        refused = {}
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            message = _("This field cannot be changed here.")
            refused = {name: [message] for name in sorted(set(data) - writable - FORM_KEYS)}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if refused and isinstance(error.detail, dict):
                raise serializers.ValidationError({**refused, **error.detail}) from error
            raise
        if refused:
            raise serializers.ValidationError(refused)
        return value


class GroupSerializer(serializers.ModelSerializer):
    lead_school = SchoolRefSerializer(read_only=True)
    stage = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="Null for a group that spans stages.",
    )
    member_cap = serializers.IntegerField(read_only=True)
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
    class Meta(GroupCreateSerializer.Meta):
        fields = ["name", "mode", "stage", "charter", "member_cap_override"]


class GroupDissolveSerializer(WritableFieldsOnly, serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    dissolved_on = serializers.DateField(required=False)
