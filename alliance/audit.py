"""The audit trail: who changed what, when, and through which interface.

django-simple-history stores a full snapshot of a record after every change (so before and
after are two consecutive rows); this module adds the interface — admin, page, API or command —
and the acting user when there is no request (management commands).
"""

import contextvars
from contextlib import contextmanager

from django.apps import apps
from django.db import models
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record


class Interface(models.TextChoices):
    ADMIN = "admin", _("Admin")
    PAGE = "page", _("Dashboard page")
    API = "api", _("API")
    COMMAND = "command", _("Command")


_interface = contextvars.ContextVar("audit_interface", default=Interface.COMMAND)
_actor = contextvars.ContextVar("audit_actor", default=None)


class AuditFields(models.Model):
    """Extra columns on every historical table."""

    history_interface = models.CharField(
        _("interface"), max_length=16, choices=Interface.choices, default=Interface.COMMAND
    )

    class Meta:
        abstract = True


class ChangeHistory(HistoricalRecords):
    """A model's audit trail: simple-history's snapshots plus the audit columns, named in Chinese.

    (simple-history names the table "historical <model>" without translating it.)
    """

    def __init__(self, **options):
        super().__init__(bases=[AuditFields], get_user=history_user, **options)

    def get_extra_fields(self, model, fields):
        # simple-history leaves its own columns unnamed ("history date" in the bureau's admin)
        # and names a snapshot "<record> as of <UTC time with microseconds>".
        extra = super().get_extra_fields(model, fields)
        names = {
            "history_date": _("changed at"),
            "history_type": _("change"),
            "history_user": _("changed by"),  # a property, not a field, with user_id_field
            "history_change_reason": _("reason for the change"),
        }
        for name, verbose_name in names.items():
            if isinstance(extra.get(name), models.Field):
                extra[name].verbose_name = verbose_name
        extra["__str__"] = _snapshot_name
        return extra

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        options["verbose_name"] = format_lazy(_("{} change history"), model._meta.verbose_name)
        options["verbose_name_plural"] = options["verbose_name"]
        return options

    # Snapshots of many-to-many fields (`m2m_fields`): named in Chinese too; simple-history names
    # their table "HistoricalSchool_stages" and leaves its columns unnamed.
    def get_meta_options_m2m(self, through_model):
        options = super().get_meta_options_m2m(through_model)
        field = _m2m_field_of(through_model)
        options["verbose_name"] = format_lazy(_("{} change history"), field.verbose_name)
        return options

    def create_history_m2m_model(self, model, through_model):
        history_model = super().create_history_m2m_model(model, through_model)
        # The row's two ends are named as Django names them in the through table.
        ends = [through_model._meta.auto_created, _m2m_field_of(through_model).remote_field.model]
        names = dict(_name_of(end) for end in ends)
        names |= {"m2m_history_id": _("ID"), "history": model._meta.verbose_name}
        for field in history_model._meta.local_fields:
            if field.name in names:
                field.verbose_name = names[field.name]
        return history_model


def _name_of(model: type[models.Model] | str) -> tuple[str, str]:
    """A model's name and verbose name; one of another app may not be loaded yet ("members.
    School" for a meeting's invited schools), and is named once it is."""
    if isinstance(model, str):
        return model.rsplit(".", 1)[-1].lower(), lazy(
            lambda: apps.get_model(model)._meta.verbose_name, str
        )()
    return model._meta.model_name, model._meta.verbose_name


def _m2m_field_of(through_model) -> models.ManyToManyField:
    fields = through_model._meta.auto_created._meta.local_many_to_many
    return next(field for field in fields if field.remote_field.through is through_model)


def _snapshot_name(snapshot) -> str:
    changed_at = timezone.localtime(snapshot.history_date).strftime("%Y-%m-%d %H:%M")
    return _("%(record)s, as of %(time)s") % {"record": snapshot.history_object, "time": changed_at}


def history_user(request=None, **kwargs):
    """The signed-in user of the request, else the actor a command declared."""
    if request is not None and request.user.is_authenticated:
        return request.user
    return _actor.get()


@contextmanager
def acting_as(user):
    """Attribute changes made outside a request (a management command) to `user`."""
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


@contextmanager
def no_history_line(instance: models.Model):
    """Change the record's many-to-many fields without a line each (simple-history writes one
    for every add and every remove): the save that follows writes one line, holding them."""
    instance.skip_history_when_saving = True  # django-simple-history's switch, m2m changes too
    try:
        yield
    finally:
        del instance.skip_history_when_saving


def interface_for(path: str) -> str:
    if path.startswith("/admin/"):
        return Interface.ADMIN
    if path.startswith("/api/"):
        return Interface.API
    return Interface.PAGE


class AuditSourceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _interface.set(interface_for(request.path))
        try:
            return self.get_response(request)
        finally:
            _interface.reset(token)


@receiver(pre_create_historical_record)
def _stamp_interface(sender, history_instance, **kwargs):
    history_instance.history_interface = _interface.get()
