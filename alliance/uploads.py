"""Uploaded files: size-limited, typed by their content (not their name), stored outside the
web root under generated names, and served only by views that check permissions first."""

import datetime
import os
import time
import uuid
import zipfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

# Leading bytes of each accepted type; Office files are ZIP packages, checked further below.
SIGNATURES = [
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
]
OFFICE = {
    "word/": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}


@deconstructible
class PrivateStorage(FileSystemStorage):
    """PRIVATE_MEDIA_ROOT: no URL serves it; downloads go through a permission-checked view."""

    def __init__(self):
        super().__init__(base_url=None)

    # Read at use, not at import, so the setting can differ per deployment and per test.
    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def _office_type(upload) -> tuple[str, str] | None:
    try:
        with zipfile.ZipFile(upload) as package:
            names = package.namelist()
    except zipfile.BadZipFile:
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for prefix, kind in OFFICE.items():
        if any(name.startswith(prefix) for name in names):
            return kind
    return None


def sniff(upload) -> tuple[str, str]:
    """The file's extension and content type, from its bytes; ValidationError if not accepted."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        limit = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        raise ValidationError({"file": _("Files may be at most %(mb)d MB.") % {"mb": limit}})
    head = upload.read(16)
    upload.seek(0)
    for signature, extension, content_type in SIGNATURES:
        if head.startswith(signature):
            return extension, content_type
    if head.startswith(b"PK\x03\x04") and (office := _office_type(upload)):
        return office
    raise ValidationError(
        {"file": _("Only PDF, Word, Excel, PowerPoint, PNG and JPEG files are accepted.")}
    )


def generated_name(prefix: str, extension: str) -> str:
    return f"{prefix}/{uuid.uuid4().hex}.{extension}"


def _referenced_names() -> set[str]:
    """Every name a row points to in the private storage, audit-trail copies included."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and isinstance(field.storage, PrivateStorage):
                rows = model._default_manager.exclude(**{field.name: ""})
                names.update(rows.values_list(field.name, flat=True))
    return names


def orphans_sweep(*, older_than: datetime.timedelta, dry_run: bool = False) -> list[str]:
    """Delete the stored files no row points to, left longer than `older_than`; return them.

    A file is stored before its row is saved, so a transaction rolled back after the upload
    (a lost connection at commit, an outer atomic block that failed) leaves it behind with no
    row to download or delete it through. The grace period spares uploads still in flight.
    """
    storage = PrivateStorage()
    root = Path(storage.location)
    if not root.is_dir():
        return []
    cutoff = time.time() - older_than.total_seconds()
    referenced = _referenced_names()
    names = sorted(
        name
        for path in root.rglob("*")
        if path.is_file()
        and path.stat().st_mtime < cutoff
        and (name := path.relative_to(root).as_posix()) not in referenced
    )
    if not dry_run:
        for name in names:
            storage.delete(name)
    return names
