"""Uploaded files: size-limited, typed by their content (not their name), stored outside the
web root under generated names, and served only by views that check permissions first."""

import datetime
import logging
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
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import APIException

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
# What a download can be served as: the types sniff() accepts.
CONTENT_TYPES = [content_type for *_, content_type in SIGNATURES] + [
    content_type for _, content_type in OFFICE.values()
]

# The folders under PRIVATE_MEDIA_ROOT that uploads are stored in (generated_name's prefix,
# which refuses any other). The sweep looks only here: anything else under the root, such as
# an operator's backups/, is not the project's to delete.
UPLOAD_FOLDERS = frozenset({"meetings"})

log = logging.getLogger(__name__)


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
    if prefix not in UPLOAD_FOLDERS:
        # An unregistered folder would never be swept: its orphans would pile up unseen.
        raise ValueError(f"Add {prefix!r} to alliance.uploads.UPLOAD_FOLDERS first.")
    return f"{prefix}/{uuid.uuid4().hex}.{extension}"


class StoredFileUnreadable(APIException):
    """A stored file that exists but cannot be read: a JSON answer from the API (its exception
    handler renders APIException), the server-error page on a page."""

    status_code = 500
    default_detail = gettext_lazy(
        "The stored file could not be read. The error has been logged for the administrator."
    )
    default_code = "stored_file_unreadable"


def download(file: FieldFile, *, filename: str, content_type: str) -> FileResponse:
    """The stored file as a download named `filename` (RFC 5987 for Chinese names).

    A row whose file is gone (a database restored without its files, a file deleted by hand)
    is a 404, as a missing record is, and an error in the log for the operator to restore it;
    one that cannot be read is logged too, and raises StoredFileUnreadable.
    """
    owner = file.instance
    try:
        opened = file.open("rb")
    except FileNotFoundError:
        log.error("%s %s: stored file %s is missing", type(owner).__name__, owner.pk, file.name)
        raise Http404 from None
    except OSError as error:
        # There but unreadable (permissions, a disk error): the operator's to fix, not a 404.
        log.error(
            "%s %s: stored file %s cannot be read: %r",
            type(owner).__name__,
            owner.pk,
            file.name,
            error,
        )
        raise StoredFileUnreadable from error
    response = FileResponse(
        opened, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    # A council's papers must not stay behind in a shared school computer's browser cache.
    response["Cache-Control"] = "private, no-store"
    return response


def _referenced_names() -> set[str]:
    """Every name a row points to in the private storage, audit-trail copies included."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and isinstance(field.storage, PrivateStorage):
                rows = model._default_manager.exclude(**{field.name: ""})
                names.update(rows.values_list(field.name, flat=True))
    return names


class SweepRefused(Exception):
    """The sweep would delete too much to trust the database it compared the files with."""


def _stored_files(root: Path) -> dict[str, float]:
    """Each file in the upload folders, by its storage name, with its modification time."""
    files = {}
    for folder in sorted(UPLOAD_FOLDERS):
        for path in (root / folder).rglob("*"):
            if path.is_file():
                files[path.relative_to(root).as_posix()] = path.stat().st_mtime
    return files


def _refuse_implausible(
    orphans: list[str], *, stored: dict, settled: set, referenced: set, max_share: float
) -> None:
    """Raise SweepRefused, logged, when the orphans say more about the database than the files.
    The share is of the `settled` files, those old enough to go: young ones would dilute it,
    letting a wrong database through on a busy day."""
    if not orphans:
        return
    counts = f"{len(orphans)} of {len(settled)} stored files past the grace period would go"
    if referenced.isdisjoint(stored):
        reason = f"{counts}, and the database references none of the stored files"
    elif len(orphans) > max_share * len(settled):
        reason = f"{counts}, more than the allowed share ({max_share:.0%})"
    else:
        return
    message = (
        f"Upload sweep refused, nothing was deleted: {reason}. "
        "Check that DATABASE_URL is this deployment's database."
    )
    log.error(message)
    raise SweepRefused(message)


def orphans_sweep(
    *, older_than: datetime.timedelta, dry_run: bool = False, max_share: float | None = None
) -> list[str]:
    """Delete the stored files no row points to, left longer than `older_than`; return them.

    A file is stored before its row is saved, so a transaction rolled back after the upload
    (a lost connection at commit, an outer atomic block that failed) leaves it behind with no
    row to download or delete it through. The grace period spares uploads still in flight.
    Only the upload folders are looked at. SweepRefused, before anything is deleted (dry run
    or not), when the database references none of the stored files or when more than
    `max_share` (settings.UPLOAD_ORPHAN_MAX_SHARE) of them would go.
    """
    # Orphans come only from uploads whose transaction rolled back: a few among all the stored
    # files. When most files look orphaned, the database is far likelier to be the wrong one (a
    # mistyped DATABASE_URL, a partial restore) than the files abandoned, and deleting them
    # would lose documents no database backup brings back. The default, half, still sweeps a
    # young deployment (one attachment, one failed upload).
    if max_share is None:
        max_share = settings.UPLOAD_ORPHAN_MAX_SHARE
    storage = PrivateStorage()
    stored = _stored_files(Path(storage.location))
    if not stored:
        return []
    cutoff = time.time() - older_than.total_seconds()
    referenced = _referenced_names()
    settled = {name for name, mtime in stored.items() if mtime < cutoff}
    names = sorted(name for name in settled if name not in referenced)
    _refuse_implausible(
        names, stored=stored, settled=settled, referenced=referenced, max_share=max_share
    )
    if not dry_run:
        for name in names:
            storage.delete(name)
    return names
