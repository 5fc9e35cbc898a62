"""Saving under concurrency: a uniqueness race lost to another request is a field error."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _


def save_validated(instance: models.Model, *, clean_first: bool = True) -> None:
    """Validate and save. If another request saved a conflicting row between our check and our
    insert, the database refuses it; validating again then names the field, as it would have."""
    if clean_first:
        instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        instance.full_clean()
        raise ValidationError(
            _("Another change was saved at the same time; reload and try again.")
        ) from error
