from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from alliance import uploads
from alliance.selectors import groups_visible_to
from governance import selectors, services
from governance.api import serializers as s
from governance.api.filters import ActionItemFilter, MeetingFilter, ResolutionFilter, SeatFilter
from governance.models import Attendance, ProgressNote, Vote
from members.roles import require_role, viewer_for
from members.selectors import current_member_schools, schools_visible_to, staff_visible_to


class _ReadCreateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Records are created by services and changed only by the actions below; none is deleted."""

    input_serializer_class: type

    def get_serializer_class(self):
        return self.input_serializer_class if self.action == "create" else self.serializer_class

    def _input(self, serializer_class, **querysets):
        """Validate the body, each named relation among what the user may see: a hidden id is
        the same 400 as a missing one."""
        serializer = serializer_class(data=self.request.data)
        for name, queryset in querysets.items():
            field = serializer.fields[name]
            getattr(field, "child_relation", field).queryset = queryset  # many=True: its child
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _run_by_user(self, meeting) -> None:
        # The service's own rule, asked before the body is read (as the actions below ask
        # theirs): a role that may not act is refused for it (403), not told which fields its
        # body left out (400).
        require_role(selectors.runs_council(self.request.user, group_id=meeting.group_id))

    def _respond(self, instance, status=200):
        fresh = self.get_queryset().get(pk=instance.pk)
        return Response(self.serializer_class(fresh).data, status)

    def _visible_groups(self):
        return groups_visible_to(self.request.user)


class CouncilSeatViewSet(_ReadCreateViewSet):
    """Council seats (理事会席位) of the groups the user sees, each with its term: the council on
    any day is the seats whose term covers it."""

    serializer_class = s.SeatSerializer
    input_serializer_class = s.SeatInputSerializer
    filterset_class = SeatFilter
    search_fields = ["holder__name", "school__name"]
    ordering_fields = ["starts_on", "ends_on", "updated_at"]

    def get_queryset(self):
        return selectors.seats_visible_to(self.request.user)

    @extend_schema(responses={201: s.SeatSerializer})
    def create(self, request):
        """Seat a school leader: the bureau, or the group's chair. The term ends by the group's rule
        (5 years by default) unless `ends_on` is given; the same seat's terms may not overlap."""
        data = self._input(
            s.SeatInputSerializer,
            group=self._visible_groups(),
            holder=staff_visible_to(request.user),
        )
        return self._respond(services.seat_assign(by=request.user, **data), 201)

    @extend_schema(
        request=s.SeatEndSerializer,
        responses={200: s.SeatSerializer, 204: None},
        description=(
            "End the term early, on the holder's last day (default today): the bureau or the "
            "chair. A term not yet begun is withdrawn: 204."
        ),
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        seat = self.get_object()
        require_role(services.seat_may_assign(request.user, seat.group))
        data = self._input(s.SeatEndSerializer)
        ended = services.seat_end(seat=seat, by=request.user, **data)
        return self._respond(ended) if ended else Response(status=204)


class MeetingViewSet(_ReadCreateViewSet):
    """Council meetings of the groups the user sees, with their agenda, invitations, attendance
    and documents."""

    serializer_class = s.MeetingSerializer
    input_serializer_class = s.MeetingInputSerializer
    filterset_class = MeetingFilter
    search_fields = ["title", "place"]
    ordering_fields = ["starts_at", "updated_at"]

    def get_queryset(self):
        attendance = Attendance.objects.select_related("school")
        return selectors.meetings_visible_to(self.request.user).prefetch_related(
            "agenda",
            "attachments",
            "invited_schools",
            "invited_people",
            Prefetch("attendance", queryset=attendance),
        )

    @extend_schema(responses={201: s.MeetingSerializer})
    def create(self, request):
        """Schedule a meeting: the council's officers (the chair, the secretary-general, the bureau)
        or the principal of a current member school. No school named: every member school of
        the meeting's day is invited."""
        # Any member school of a group the user sees; the service checks it is the group's.
        schools = current_member_schools(self._visible_groups())
        data = self._input(
            s.MeetingInputSerializer,
            group=self._visible_groups(),
            host_school=schools,
            invited_schools=schools,
            invited_people=staff_visible_to(request.user),
        )
        return self._respond(services.meeting_schedule(by=request.user, **data), 201)

    @extend_schema(request=s.AttendanceInputSerializer, responses=s.MeetingSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """Record a member school's attendance (present, absent with a reason, proxy): the
        council's officers. An absence may be recorded ahead; presence once the meeting has
        begun."""
        meeting = self.get_object()
        self._run_by_user(meeting)
        data = self._input(
            s.AttendanceInputSerializer,
            school=selectors.schools_on_meeting_day(meeting),
            person=staff_visible_to(request.user),
        )
        services.attendance_record(meeting=meeting, by=request.user, **data)
        return self._respond(meeting)

    @extend_schema(
        request={"multipart/form-data": s.AttachmentInputSerializer},
        responses=s.MeetingSerializer,
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def attachments(self, request, pk=None):
        """Add a document (PDF, Word, Excel, PowerPoint, PNG, JPEG; checked by content): the
        council's officers."""
        meeting = self.get_object()
        self._run_by_user(meeting)  # before the body is parsed too: a refusal is 403, not 415
        data = self._input(s.AttachmentInputSerializer)
        services.attachment_add(meeting=meeting, upload=data["file"], by=request.user)
        return self._respond(meeting)

    @extend_schema(request=None, responses=s.MeetingSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close a meeting that has begun: its open motions are counted. The council's officers."""
        return self._respond(services.meeting_close(meeting=self.get_object(), by=request.user))

    @extend_schema(request=s.RescheduleSerializer, responses=s.MeetingSerializer)
    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk=None):
        """Move a meeting not yet held: the council's officers. A new time, later than now, with
        its place and/or online link (one not sent is cleared); `host_school` not sent is kept,
        null names none. Its invitations follow the members of the new day."""
        meeting = self.get_object()
        self._run_by_user(meeting)
        schools = selectors.schools_on_meeting_day(meeting)
        data = self._input(s.RescheduleSerializer, host_school=schools)
        return self._respond(services.meeting_reschedule(meeting=meeting, by=request.user, **data))

    @extend_schema(request=s.CancelSerializer, responses=s.MeetingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Call off a meeting not yet held, with a reason: the council's officers. It is kept."""
        meeting = self.get_object()
        self._run_by_user(meeting)
        data = self._input(s.CancelSerializer)
        return self._respond(services.meeting_cancel(meeting=meeting, by=request.user, **data))

    @extend_schema(request=s.MinutesSerializer, responses=s.MeetingSerializer)
    @action(detail=True, methods=["post"])
    def minutes(self, request, pk=None):
        """Record or correct the minutes until they are approved: the council's officers."""
        meeting = self.get_object()
        self._run_by_user(meeting)
        data = self._input(s.MinutesSerializer)
        return self._respond(services.minutes_record(meeting=meeting, by=request.user, **data))

    @extend_schema(request=None, responses=s.MeetingSerializer)
    @action(detail=True, methods=["post"], url_path="approve-minutes")
    def approve_minutes(self, request, pk=None):
        """Approve the minutes (审定): the council's officers. From then on the meeting's
        outcomes are final; a correction is a new resolution that points back."""
        return self._respond(services.minutes_approve(meeting=self.get_object(), by=request.user))


class _FileOrJsonError(BaseContentNegotiation):
    """A download is the stored file in its own type whatever Accept asks for (an HTTP library
    may send Accept: application/pdf); only an error is rendered, and always as JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class AttachmentViewSet(viewsets.GenericViewSet):
    """Meeting documents for machine clients: the download page's file, with a token."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = _FileOrJsonError
    filter_backends = []  # one record by id: no list to filter, search or order

    def get_queryset(self):
        return selectors.attachments_visible_to(self.request.user)

    @extend_schema(
        description="The file itself, under its original name (Content-Disposition).",
        responses={
            (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, "The stored file.")
            for content_type in uploads.CONTENT_TYPES
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        attachment = self.get_object()
        return uploads.download(
            attachment.file, filename=attachment.original_name, content_type=attachment.content_type
        )


class ResolutionViewSet(_ReadCreateViewSet):
    """Motions and resolutions (决议) of the meetings the user sees, with each school's vote. The
    outcome is computed from attendance and votes, never sent."""

    serializer_class = s.ResolutionSerializer
    input_serializer_class = s.ResolutionInputSerializer
    filterset_class = ResolutionFilter
    search_fields = ["title"]
    ordering_fields = ["updated_at"]

    def get_queryset(self):
        votes = Vote.objects.select_related("school")
        return selectors.resolutions_visible_to(self.request.user).prefetch_related(
            Prefetch("votes", queryset=votes)
        )

    @extend_schema(responses={201: s.ResolutionSerializer})
    def create(self, request):
        """Put a motion to a meeting neither closed nor cancelled: the council's officers or the
        principal of a current member school. A charter motion carries the new text; an
        expulsion names the school."""
        data = self._input(
            s.ResolutionInputSerializer,
            meeting=selectors.meetings_visible_to(request.user),
            school=current_member_schools(self._visible_groups()),
            corrects=self.get_queryset(),
        )
        return self._respond(services.resolution_propose(by=request.user, **data), 201)

    @extend_schema(request=s.VoteInputSerializer, responses=s.ResolutionSerializer)
    @action(detail=True, methods=["post"])
    def vote(self, request, pk=None):
        """Cast a school's one vote (yes, no, abstain): the principal of that school, a member
        recorded present or represented by proxy. Once per school."""
        resolution = self.get_object()
        require_role(viewer_for(request.user).is_principal)  # a school votes through its principal
        data = self._input(s.VoteInputSerializer, school=schools_visible_to(request.user))
        services.vote_cast(resolution=resolution, by=request.user, **data)
        return self._respond(resolution)

    @extend_schema(request=None, responses=s.ResolutionSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Count the votes: quorum and majority by the group's rules. The council's officers."""
        resolution = self.get_object()
        return self._respond(services.resolution_decide(resolution=resolution, by=request.user))


class ActionItemViewSet(_ReadCreateViewSet):
    """Follow-ups of passed resolutions (what, owner school or person, due date, progress notes,
    done), in the groups the user sees."""

    serializer_class = s.ActionItemSerializer
    input_serializer_class = s.ActionItemInputSerializer
    filterset_class = ActionItemFilter
    search_fields = ["description"]
    ordering_fields = ["due_on", "updated_at"]

    def get_queryset(self):
        notes = ProgressNote.objects.order_by("at")
        return selectors.action_items_visible_to(self.request.user).prefetch_related(
            Prefetch("notes", queryset=notes)
        )

    @extend_schema(responses={201: s.ActionItemSerializer})
    def create(self, request):
        """Attach a follow-up to a resolution that passed: the council's officers. The due date
        falls within one term from today."""
        # Owners the user cannot see are "invalid" like ids that do not exist: no error tells
        # another group's school or staff member from a missing one.
        data = self._input(
            s.ActionItemInputSerializer,
            resolution=selectors.resolutions_visible_to(request.user),
            owner_school=current_member_schools(self._visible_groups()),
            owner_person=staff_visible_to(request.user),
        )
        return self._respond(services.action_item_add(by=request.user, **data), 201)

    @extend_schema(request=s.ProgressInputSerializer, responses=s.ActionItemSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        """Report progress, or done: the owner person, the owner school's principal, or the
        council's officers."""
        item = self.get_object()
        require_role(services.action_item_may_report(request.user, item))
        data = self._input(s.ProgressInputSerializer)
        return self._respond(services.action_item_progress(item=item, by=request.user, **data))
