from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from alliance import views as group_views
from governance import meeting_views
from governance import views as governance_views
from members import views as member_views

dashboard_patterns = [
    path("", group_views.home, name="home"),
    path("groups/", group_views.group_list, name="group-list"),
    path("groups/<int:pk>/", group_views.group_detail, name="group-detail"),
    path("schools/<int:pk>/", member_views.school_detail, name="school-detail"),
    path("groups/<int:pk>/council/", governance_views.council, name="council"),
    path("groups/<int:pk>/meetings/new/", meeting_views.meeting_new, name="meeting-new"),
    path("groups/<int:pk>/council/seats/new/", governance_views.seat_new, name="seat-new"),
    path("council-seats/<int:pk>/end/", governance_views.seat_end, name="seat-end"),
    path("meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting-detail"),
    path("attachments/<int:pk>/", governance_views.attachment_download, name="attachment"),
    path("meetings/<int:pk>/<slug:action>/", meeting_views.meeting_act, name="meeting-act"),
    path(
        "action-items/<int:pk>/progress/",
        meeting_views.action_item_progress,
        name="action-item-progress",
    ),
    path(
        "groups/<int:pk>/council/quarterly/",
        governance_views.quarterly_report,
        name="quarterly-report",
    ),
    path(
        "groups/<int:pk>/export/<slug:what>.<slug:fmt>",
        governance_views.group_export,
        name="group-export",
    ),
    path(
        "schools/<int:school_pk>/apply/",
        member_views.membership_apply,
        name="membership-apply",
    ),
    path(
        "memberships/<int:pk>/<slug:action>/",
        member_views.membership_act,
        name="membership-act",
    ),
]

urlpatterns = [
    # Browsers ask for /favicon.ico wherever the page names no icon (a JSON answer, a PDF).
    path("favicon.ico", group_views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("alliance.api.urls")),
    # No self-service password reset: no mail is configured; the bureau sets new passwords in
    # the admin (alliance/accounts_admin.py).
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", group_views.Logout.as_view(), name="logout"),
    path("accounts/password/", group_views.PasswordChange.as_view(), name="password_change"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include((dashboard_patterns, "dashboard"))),
]

handler404 = "alliance.errors.not_found"
handler500 = "alliance.errors.server_error"
