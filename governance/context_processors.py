from governance.selectors import seat_held_by
from members.roles import viewer_for


def council_role(request) -> dict:
    """The top bar names a secretary-general (秘书长), vice-chair or director by the seat they
    hold, where their post alone (中层干部, 教师) says less. Listed after
    members.context_processors.viewer, whose `viewer_role` it replaces."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or viewer_for(user).role != "staff":
        return {}
    seat = seat_held_by(user)
    return {"viewer_role": seat.get_role_display()} if seat else {}
