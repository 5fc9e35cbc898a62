"""Sign-in accounts: which ones the bureau keeps, and what a new password or a switch-off ends.

The bureau keeps the accounts of schools' people and of integrations. An account with staff
or superuser status, a role group (the bureau's) or a permission of its own is the operator's
(`create_bureau_user`, `createsuperuser`): the bureau could otherwise take over a colleague's
or an operator's account by setting its password.
"""

from django.contrib.auth.models import User
from django.db.models import QuerySet
from knox.models import AuthToken


def kept_by_bureau() -> QuerySet[User]:
    return User.objects.filter(
        is_staff=False, is_superuser=False, groups__isnull=True, user_permissions__isnull=True
    )


def tokens_revoke(user: User) -> int:
    """End every API token of the account: a new password or a switch-off must also lock out
    the machine clients that signed in with the old one."""
    deleted, _by_model = AuthToken.objects.filter(user=user).delete()
    return deleted


class TokensEndWithPassword:
    """For Django's password forms: saving a new password also revokes the API tokens (sessions
    end by themselves, their hash no longer matches)."""

    def save(self, commit=True):
        user = super().save(commit)
        tokens_revoke(user)
        return user
