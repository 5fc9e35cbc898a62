from django import template

from members.roles import display_name

register = template.Library()
register.filter("display_name", display_name)
