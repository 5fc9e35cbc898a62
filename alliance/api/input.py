"""Request bodies: a key the API would otherwise drop is refused by name."""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from rest_framework import serializers

# Sent by the browsable API's forms with the fields: not a field of any record.
FORM_KEYS = {"csrfmiddlewaretoken"}


class WritableFieldsOnly:
    """An input serializer that refuses, by name, a key it would otherwise drop.

    DRF ignores keys that are not writable fields: `{"status": "dissolved"}` answered 200 and
    changed nothing, and a misspelt `{"nmae": …}` the same, and the client took the change for
    done. Mix in before the DRF class; a refused key is reported with the other fields' errors,
    all in one 400.

    `echoed` names what a record's representation carries that no write changes (its id and
    time stamps): a client that sends back what it read is not refused for them.
    """

    echoed: frozenset[str] = frozenset()

    def to_internal_value(self, data):
        refused = {}
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            message = _("This field cannot be changed here.")
            ignored = writable | self.echoed | FORM_KEYS
            refused = {name: [message] for name in sorted(set(data) - ignored)}
            if self._names_another_record(data):
                other = _("This id is another record's; send its body to that record's address.")
                refused["id"] = [other]
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if refused and isinstance(error.detail, dict):
                raise serializers.ValidationError({**refused, **error.detail}) from error
            raise
        if refused:
            raise serializers.ValidationError(refused)
        return value

    def _names_another_record(self, data: Mapping) -> bool:
        """An id sent back that is not the record's: a client that PUTs one record's body to
        another's address."""
        instance = getattr(self, "instance", None)
        if instance is None or "id" not in self.echoed or data.get("id") is None:
            return False
        return str(data["id"]) != str(instance.pk)


# A record's own id and time stamps, as its representation gives them.
RECORD_STAMPS = frozenset({"id", "created_at", "updated_at"})


class RecordRefField(serializers.PrimaryKeyRelatedField):
    """A related record by its id, or by the `{"id": …, "name": …}` the API gives it as: a
    record read and sent back (a staff record's `school`) was refused for the shape it was
    read in."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping) and "id" in data:
            data = data["id"]
        return super().to_internal_value(data)
