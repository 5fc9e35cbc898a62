"""Uploaded files: size-limited, typed by their content (not their name), stored outside the
web root under generated names, and served only by views that check permissions first."""

import os
import uuid
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
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
