from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from alliance.api.input import RECORD_STAMPS, RecordRefField, WritableFieldsOnly
from alliance.models import SchoolGroup
from members.models import Membership, MembershipEvent, School, Staff, Stage
from members.roles import display_name


class SchoolRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = School
        fields = ["id", "code", "name"]


class SchoolSerializer(serializers.ModelSerializer):
    stages = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = School
        fields = [
            "id",
            "code",
            "name",
            "stages",
            "district",
            "address",
            "is_legal_person",
            "created_at",
            "updated_at",
        ]


class SchoolInputSerializer(WritableFieldsOnly, serializers.ModelSerializer):
    echoed = RECORD_STAMPS
    stages = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Stage.objects.all(), allow_empty=False
    )

    class Meta:
        model = School
        fields = ["code", "name", "stages", "district", "address", "is_legal_person"]
        # Uniqueness is checked by the service's full_clean, in the same words as the admin.
        extra_kwargs = {"code": {"validators": []}}


class StaffSerializer(serializers.ModelSerializer):
    school = SchoolRefSerializer(read_only=True)

    class Meta:
        model = Staff
        fields = [
            "id",
            "staff_no",
            "name",
            "school",
            "subject",
            "title",
            "post",
            "is_backbone",
            "is_famous",
            "is_active",
            "created_at",
            "updated_at",
        ]


class StaffInputSerializer(WritableFieldsOnly, serializers.ModelSerializer):
    echoed = RECORD_STAMPS
    # The view narrows it to the schools the user can see.
    school = RecordRefField(queryset=School.objects.all())

    class Meta:
        model = Staff
        fields = [
            "staff_no",
            "name",
            "school",
            "subject",
            "title",
            "post",
            "is_backbone",
            "is_famous",
            "is_active",
        ]
        extra_kwargs = {"staff_no": {"validators": []}}


class GroupRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = SchoolGroup
        fields = ["id", "name"]


class MembershipEventSerializer(serializers.ModelSerializer):
    by = serializers.SerializerMethodField(help_text="Who recorded it, by name, as the pages say.")

    class Meta:
        model = MembershipEvent
        fields = [
            "action",
            "from_status",
            "to_status",
            "effective_on",
            "note",
            "by",
            "at",
        ]

    def get_by(self, event: MembershipEvent) -> str:
        # A name, not the login: an account's login is half of what signs it in.
        return display_name(event.by)


class MembershipSerializer(serializers.ModelSerializer):
    group = GroupRefSerializer(read_only=True)
    school = SchoolRefSerializer(read_only=True)
    events = MembershipEventSerializer(many=True, read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "group",
            "school",
            "status",
            "applied_on",
            "approved_on",
            "warned_on",
            "warning_reason",
            "notice_on",
            "left_on",
            "leave_reason",
            "rejoin_override_reason",
            "events",
            "created_at",
            "updated_at",
        ]


class MembershipApplySerializer(WritableFieldsOnly, serializers.Serializer):
    # The view narrows `school` to the schools the user can see.
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.all())
    # Any group: the service refuses a dissolved one in its own words, where "Invalid pk" left
    # the client looking for a typo.
    group = serializers.PrimaryKeyRelatedField(queryset=SchoolGroup.objects.all())
    applied_on = serializers.DateField(required=False)
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")


class ApproveSerializer(WritableFieldsOnly, serializers.Serializer):
    approved_on = serializers.DateField(required=False)


class ReasonSerializer(WritableFieldsOnly, serializers.Serializer):
    # Not required here: the service checks the role first (403), then asks for a reason (400).
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class WarnSerializer(ReasonSerializer):
    warned_on = serializers.DateField(required=False)


class ExpelSerializer(ReasonSerializer):
    expelled_on = serializers.DateField(required=False)


class WithdrawSerializer(WritableFieldsOnly, serializers.Serializer):
    # Not required here, as in ReasonSerializer: a role that may not withdraw gets 403 first.
    notice_on = serializers.DateField(required=False)
    left_on = serializers.DateField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


# Only for the schema, which says what the service requires (400 without it).
@extend_schema_serializer(component_name="Withdraw")
class WithdrawDocumentedSerializer(WithdrawSerializer):
    notice_on = serializers.DateField(help_text="Date of the written notice to the council.")


# The same for a reason the service requires: a rejection, a warning, an expulsion.
REQUIRED_REASON = serializers.CharField(help_text="Why; the decision is refused without one.")


@extend_schema_serializer(component_name="Reject")
class RejectDocumentedSerializer(ReasonSerializer):
    reason = REQUIRED_REASON


@extend_schema_serializer(component_name="Warn")
class WarnDocumentedSerializer(WarnSerializer):
    reason = REQUIRED_REASON


@extend_schema_serializer(component_name="Expel")
class ExpelDocumentedSerializer(ExpelSerializer):
    reason = REQUIRED_REASON
