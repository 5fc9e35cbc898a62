from members.roles import display_name, viewer_for


def viewer(request) -> dict:
    """The top bar's role and school, from the same role resolution the scopes use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = viewer_for(user)
    return {
        "viewer_name": current.staff.name if current.staff else display_name(user),
        "viewer_role": current.role_label,
        "viewer_school": current.staff.school if current.staff else None,
    }
