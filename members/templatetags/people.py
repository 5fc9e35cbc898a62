from django import template

from members.roles import display_name, name_with_login

register = template.Library()
register.filter("display_name", display_name)
register.filter("name_with_login", name_with_login)
