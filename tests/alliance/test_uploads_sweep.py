"""Files left in the private storage by a transaction that rolled back are swept away; files
that a record points to, and uploads still in flight, are kept."""

import io
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from alliance.tasks import uploads_sweep
from governance import services
from tests.governance.factories import meeting

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"
TWO_DAYS = 2 * 24 * 3600


class RolledBack(Exception):
    pass


def attach(county, name="议程.pdf"):
    upload = SimpleUploadedFile(name, PDF)
    return services.attachment_add(meeting=meeting(county), upload=upload, by=county.chair)


def age(path, seconds=TWO_DAYS):
    then = time.time() - seconds
    os.utime(path, (then, then))


def stored_files(root) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_an_upload_whose_row_rolled_back_is_swept_and_attached_ones_stay(county, _private_media):
    kept = attach(county)
    with pytest.raises(RolledBack), transaction.atomic():
        attach(county, name="作废.pdf")
        raise RolledBack  # e.g. the outer work failed after the upload was stored
    assert len(stored_files(_private_media)) == 2  # the rolled-back file is still on disk
    for path in _private_media.rglob("*.pdf"):
        age(path)
    out = io.StringIO()
    call_command("sweep_uploads", stdout=out)
    assert stored_files(_private_media) == {kept.file.name}
    assert "1 orphaned file(s) deleted." in out.getvalue()
    kept.refresh_from_db()
    assert kept.file.read() == PDF  # still downloadable


def test_uploads_younger_than_the_grace_period_and_a_dry_run_are_spared(county, _private_media):
    with pytest.raises(RolledBack), transaction.atomic():
        attach(county)
        raise RolledBack
    (orphan,) = stored_files(_private_media)
    call_command("sweep_uploads", stdout=io.StringIO())  # just uploaded: in flight, kept
    assert stored_files(_private_media) == {orphan}
    age(_private_media / orphan)
    out = io.StringIO()
    call_command("sweep_uploads", "--dry-run", stdout=out)
    assert orphan in out.getvalue() and stored_files(_private_media) == {orphan}
    assert uploads_sweep.apply(throw=True).get() == 1  # the nightly task, run here
    assert uploads_sweep.apply(throw=True).get() == 0  # and again: nothing left, no error
    assert stored_files(_private_media) == set()


def test_nothing_stored_yet_is_nothing_to_sweep(_private_media):
    assert not _private_media.exists()
    out = io.StringIO()
    call_command("sweep_uploads", stdout=out)
    assert "0 orphaned file(s) deleted." in out.getvalue()


def test_the_sweep_is_scheduled_nightly(settings):
    (entry,) = [
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "alliance.tasks.uploads_sweep"
    ]
    assert entry["schedule"].hour == {3}
