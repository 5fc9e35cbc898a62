from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from members.roles import viewer_for


class BureauCreates(BasePermission):
    """Reads for any signed-in user (the queryset is scoped); only the bureau creates.

    Changes to existing objects are checked by the services after the object was looked up in
    the user's scope, so an object the user may not see is 404 before it can be 403.
    """

    # The services' words for the same refusal, not DRF's "You do not have permission…".
    message = _("Your role does not allow this action.")

    def has_permission(self, request, view) -> bool:
        if not request.user.is_authenticated:
            return False
        if request.method in SAFE_METHODS or getattr(view, "action", None) != "create":
            return True
        return viewer_for(request.user).is_bureau
