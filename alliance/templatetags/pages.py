"""Links of a pager that keep the page's other query parameters.

`{% querystring %}` names its parameter in the template; a page with two paginated lists
needs the name to be a value, and a link back to the list's anchor.
"""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number: int, param: str = "page", anchor: str = "") -> str:
    query = context["request"].GET.copy()
    query[param] = number
    return f"?{query.urlencode()}" + (f"#{anchor}" if anchor else "")
