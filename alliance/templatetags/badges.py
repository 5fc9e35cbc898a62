"""A status badge's colour by what the status means to the reader (site.css .badge.*): a
rejected motion and a passed one, a warned school and an active one, no longer look alike."""

from django import template

register = template.Library()

# Stored status values (several models share some: "rejected" is an outcome and an
# application's end); any other value keeps the neutral badge.
TONES = {
    "active": "ok",
    "passed": "ok",
    "approved": "ok",
    "warned": "warn",
    "rejected": "alert",
    "no_quorum": "alert",
    "expelled": "alert",
}


@register.filter
def badge_class(status: str) -> str:
    """The class attribute of a stored status value's badge: "badge ok", "badge warn",
    "badge alert", or "badge" (neutral)."""
    tone = TONES.get(status)
    return f"badge {tone}" if tone else "badge"
