"""Password rules as Chinese pages state them."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's own, with its refusal in our catalogue: Django 5.2 reworded it ("%d" for
    "%(min_length)d") and its Chinese catalogue has not followed, so the password page showed
    the one English sentence on a Chinese page."""

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: it needs at least %(min_length)d character.",
            "This password is too short: it needs at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
