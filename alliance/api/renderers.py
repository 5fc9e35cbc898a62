from rest_framework import renderers

from members.roles import viewer_for


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """The browsable API, with write forms only for the bureau.

    A form's related-field choices list every school; only the bureau, which may see them all
    and is the only role that writes these records, gets the forms.
    """

    def show_form_for_method(self, view, method, request, obj):
        return viewer_for(request.user).is_bureau and super().show_form_for_method(
            view, method, request, obj
        )
