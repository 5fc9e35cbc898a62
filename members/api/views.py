from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliance.api.permissions import BureauCreates
from members import selectors, services
from members.api import serializers as s
from members.api.filters import MembershipFilter, StaffFilter
from members.models import MembershipEvent, School, Staff


class _ReadCreateUpdateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Nothing is deleted through the API: records end by a status change, and history stays."""

    permission_classes = [BureauCreates]
    input_serializer_class: type

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return self.input_serializer_class
        return self.serializer_class

    def _respond(self, instance, status=200):
        fresh = self.get_queryset().get(pk=instance.pk)
        return Response(
            self.serializer_class(fresh, context=self.get_serializer_context()).data,
            status,
        )


# PATCH answers like PUT; without this its response is documented as the input's shape.
@extend_schema_view(
    partial_update=extend_schema(
        responses=s.SchoolSerializer, description="As PUT, with only the fields sent."
    )
)
class SchoolViewSet(_ReadCreateUpdateViewSet):
    """Schools the user sees: the bureau every school; others their own, a chair the group's
    member schools and applicants, and any school granted to them."""

    serializer_class = s.SchoolSerializer
    input_serializer_class = s.SchoolInputSerializer
    filterset_fields = {
        "district": ["exact"],
        "stages": ["exact"],
        "is_legal_person": ["exact"],
        "updated_at": ["gte"],
    }
    search_fields = ["name", "code", "district"]
    ordering_fields = ["code", "name", "district", "updated_at"]

    def get_queryset(self):
        return selectors.schools_visible_to(self.request.user).prefetch_related("stages")

    @extend_schema(responses=s.SchoolSerializer)
    def create(self, request, *args, **kwargs):
        """Add a school: the bureau."""
        return self._save(School(), request, partial=False, status=201)

    @extend_schema(responses=s.SchoolSerializer)
    def update(self, request, *args, **kwargs):
        """Change a school: the bureau. A record read and sent back may keep its id and time
        stamps."""
        return self._save(self.get_object(), request, partial=kwargs.get("partial", False))

    def _save(self, school, request, *, partial, status=200):
        serializer = s.SchoolInputSerializer(school, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        stages = data.pop("stages", None)
        for name, value in data.items():
            setattr(school, name, value)
        services.school_save(school=school, by=request.user, stages=stages)
        return self._respond(school, status)


@extend_schema_view(
    partial_update=extend_schema(
        responses=s.StaffSerializer, description="As PUT, with only the fields sent."
    )
)
class StaffViewSet(_ReadCreateUpdateViewSet):
    """Staff records the user sees: oneself, a principal's school, a chair's member schools,
    the schools granted to them, the bureau all."""

    serializer_class = s.StaffSerializer
    input_serializer_class = s.StaffInputSerializer
    filterset_class = StaffFilter
    search_fields = ["name", "staff_no", "subject"]
    ordering_fields = ["staff_no", "name", "updated_at"]

    def get_queryset(self):
        return selectors.staff_visible_to(self.request.user)

    @extend_schema(responses=s.StaffSerializer)
    def create(self, request, *args, **kwargs):
        """Add a staff record: the bureau."""
        return self._save(Staff(), request, partial=False, status=201)

    @extend_schema(responses=s.StaffSerializer)
    def update(self, request, *args, **kwargs):
        """Change a staff record, a move to another school or a leaving of post included: the
        bureau. Council seats and invitations by name follow."""
        return self._save(self.get_object(), request, partial=kwargs.get("partial", False))

    def _save(self, staff, request, *, partial, status=200):
        serializer = s.StaffInputSerializer(staff, data=request.data, partial=partial)
        # A school the user may not see is the same 400 as one that does not exist.
        serializer.fields["school"].queryset = selectors.schools_visible_to(request.user)
        serializer.is_valid(raise_exception=True)
        for name, value in serializer.validated_data.items():
            setattr(staff, name, value)
        services.staff_save(staff=staff, by=request.user)
        return self._respond(staff, status)


class MembershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Memberships and their life cycle: apply (POST), approve, reject, cancel
    (the school withdraws its application), warn, withdraw, expel."""

    serializer_class = s.MembershipSerializer
    filterset_class = MembershipFilter
    search_fields = ["school__name", "school__code", "group__name"]
    ordering_fields = ["applied_on", "approved_on", "left_on", "updated_at"]

    def get_queryset(self):
        events = MembershipEvent.objects.select_related("by")
        return selectors.memberships_visible_to(self.request.user).prefetch_related(
            Prefetch("events", queryset=events)
        )

    def _respond(self, membership, status=200):
        fresh = self.get_queryset().get(pk=membership.pk)
        return Response(s.MembershipSerializer(fresh).data, status)

    @extend_schema(request=s.MembershipApplySerializer, responses={201: s.MembershipSerializer})
    def create(self, request):
        """Apply for a school to join a group (申请): the school's principal, or the bureau for
        it."""
        serializer = s.MembershipApplySerializer(data=request.data)
        serializer.fields["school"].queryset = selectors.schools_visible_to(request.user)
        serializer.is_valid(raise_exception=True)
        membership = services.membership_apply(by=request.user, **serializer.validated_data)
        return self._respond(membership, 201)

    def _act(self, request, service, input_class):
        membership = self.get_object()
        serializer = input_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = service(membership=membership, by=request.user, **serializer.validated_data)
        return self._respond(membership)

    @extend_schema(request=s.ApproveSerializer, responses=s.MembershipSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve an application: the bureau. Refused past the group's member cap."""
        return self._act(request, services.membership_approve, s.ApproveSerializer)

    @extend_schema(request=s.RejectDocumentedSerializer, responses=s.MembershipSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject an application, with a reason: the bureau."""
        return self._act(request, services.membership_reject, s.ReasonSerializer)

    @extend_schema(request=s.ReasonSerializer, responses=s.MembershipSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """The school takes back its open application (撤回申请); it may apply again."""
        return self._act(request, services.membership_cancel, s.ReasonSerializer)

    @extend_schema(request=s.WarnDocumentedSerializer, responses=s.MembershipSerializer)
    @action(detail=True, methods=["post"])
    def warn(self, request, pk=None):
        """Warn a member school (警告), with a reason: the bureau or the group's chair."""
        return self._act(request, services.membership_warn, s.WarnSerializer)

    @extend_schema(request=s.WithdrawDocumentedSerializer, responses=s.MembershipSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Record a school's withdrawal after written notice (提前书面通知): the school's
        principal, or the bureau."""
        return self._act(request, services.membership_withdraw, s.WithdrawSerializer)

    @extend_schema(request=s.ExpelDocumentedSerializer, responses=s.MembershipSerializer)
    @action(detail=True, methods=["post"])
    def expel(self, request, pk=None):
        """Expel a member school (取消成员资格): the bureau. In the group it is the council's
        decision: a passed expulsion motion expels the school it names."""
        return self._act(request, services.membership_expel, s.ExpelSerializer)
