from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliance import selectors, services
from alliance.api import serializers as s
from alliance.api.permissions import BureauCreates


# PATCH answers like PUT; without this its response is documented as the input's shape.
@extend_schema_view(
    partial_update=extend_schema(
        responses=s.GroupSerializer, description="As PUT, with only the fields sent."
    )
)
class GroupViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """School groups. The bureau founds, changes and dissolves them; nothing is deleted."""

    serializer_class = s.GroupSerializer
    permission_classes = [BureauCreates]
    # updated_at__gte: what changed since an integrator's last sync.
    filterset_fields = {
        "mode": ["exact"],
        "status": ["exact"],
        "stage": ["exact"],
        "updated_at": ["gte"],
    }
    search_fields = ["name", "lead_school__name"]
    ordering_fields = ["name", "founded_on", "updated_at"]

    def get_queryset(self):
        return selectors.group_list(user=self.request.user)

    def get_serializer_class(self):
        return {
            "create": s.GroupCreateSerializer,
            "update": s.GroupUpdateSerializer,
            "partial_update": s.GroupUpdateSerializer,
            "dissolve": s.GroupDissolveSerializer,
        }.get(self.action, s.GroupSerializer)

    def _respond(self, group, status=200):
        return Response(s.GroupSerializer(self.get_queryset().get(pk=group.pk)).data, status)

    @extend_schema(responses={201: s.GroupSerializer})
    def create(self, request):
        """Found a group (the bureau); its lead school becomes its first member."""
        serializer = s.GroupCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        group = services.group_create(by=request.user, **serializer.validated_data)
        return self._respond(group, 201)

    @extend_schema(responses=s.GroupSerializer)
    def update(self, request, pk=None, partial=False):
        """Change a group's name, mode, stage, charter (until the council adopts one) or cap
        override: the bureau."""
        group = self.get_object()
        services.require_bureau(request.user)
        serializer = s.GroupUpdateSerializer(group, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        group = services.group_update(group=group, by=request.user, **serializer.validated_data)
        return self._respond(group)

    @extend_schema(request=s.GroupDissolveSerializer, responses=s.GroupSerializer)
    @action(detail=True, methods=["post"])
    def dissolve(self, request, pk=None):
        """Dissolve a group, with a reason (the bureau): its meetings to come are cancelled and
        its memberships end."""
        group = self.get_object()
        services.require_bureau(request.user)
        serializer = s.GroupDissolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        group = services.group_dissolve(group=group, by=request.user, **serializer.validated_data)
        return self._respond(group)
