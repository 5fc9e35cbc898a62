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


def is_unchanged(instance: models.Model) -> bool:
    """Whether saving would write what the database holds already (an integrator PATCHing back
    what it read): then nothing is saved, so updated_at and the audit trail stay as they were."""
    if instance.pk is None:
        return False
    names = [
        field.attname
        for field in instance._meta.concrete_fields
        if not getattr(field, "auto_now", False)
    ]
    stored = type(instance)._default_manager.filter(pk=instance.pk).values(*names).first()
    return stored == {name: getattr(instance, name) for name in names}
