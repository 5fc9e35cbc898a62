from members.roles import viewer_for


def viewer(request) -> dict:
    """The top bar's role and school, from the same role resolution the scopes use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = viewer_for(user)
    return {
        # Staff names are written family name first (唐思浩), unlike get_full_name().
        "viewer_name": current.staff.name if current.staff else user.get_username(),
        "viewer_role": current.role_label,
        "viewer_school": current.staff.school if current.staff else None,
    }
