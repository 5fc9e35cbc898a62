from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from alliance.api import auth, docs
from alliance.api.views import GroupViewSet
from governance.api.views import (
    ActionItemViewSet,
    AttachmentViewSet,
    CouncilSeatViewSet,
    MeetingViewSet,
    ResolutionViewSet,
)
from members.api.views import MembershipViewSet, SchoolViewSet, StaffViewSet

router = DefaultRouter()
router.APIRootView = docs.ApiRoot
router.register("groups", GroupViewSet, basename="group")
router.register("schools", SchoolViewSet, basename="school")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("staff", StaffViewSet, basename="staff")
router.register("council-seats", CouncilSeatViewSet, basename="council-seat")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("resolutions", ResolutionViewSet, basename="resolution")
router.register("action-items", ActionItemViewSet, basename="action-item")
router.register("attachments", AttachmentViewSet, basename="attachment")

app_name = "api"
urlpatterns = [
    path("auth/token/", auth.TokenObtainView.as_view(), name="token"),
    path("auth/token/revoke/", auth.TokenRevokeView.as_view(), name="token-revoke"),
    path(
        "auth/token/revoke-all/",
        auth.TokenRevokeAllView.as_view(),
        name="token-revoke-all",
    ),
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("docs/", docs.SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", docs.RedocView.as_view(url_name="api:schema"), name="redoc"),
    path("", include(router.urls)),
]
