"""Files left in the private storage by a transaction that rolled back are swept away; files
that a record points to, uploads still in flight, and anything outside the upload folders are
kept; a sweep that would delete implausibly much refuses and says so."""

import io
import logging
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction

from alliance.tasks import uploads_sweep
from alliance.uploads import SweepRefused, generated_name
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


def orphan(county) -> str:
    """An upload whose row rolled back; its file is left on disk."""
    with pytest.raises(RolledBack), transaction.atomic():
        name = attach(county, name="作废.pdf").file.name
        raise RolledBack
    return name


def put(root, name, content=PDF) -> str:
    """A file written straight to the storage folder, as by another process, aged."""
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    age(path)
    return name


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
    kept = attach(county)
    age(_private_media / kept.file.name)
    left = orphan(county)
    call_command("sweep_uploads", stdout=io.StringIO())  # just uploaded: in flight, kept
    assert stored_files(_private_media) == {kept.file.name, left}
    age(_private_media / left)
    out = io.StringIO()
    call_command("sweep_uploads", "--dry-run", stdout=out)
    assert left in out.getvalue() and stored_files(_private_media) == {kept.file.name, left}
    assert uploads_sweep.apply(throw=True).get() == 1  # the nightly task, run here
    assert uploads_sweep.apply(throw=True).get() == 0  # and again: nothing left, no error
    assert stored_files(_private_media) == {kept.file.name}


def test_files_outside_the_upload_folders_are_never_touched(county, _private_media):
    kept = attach(county)
    age(_private_media / kept.file.name)
    strays = {
        put(_private_media, "backups/pg-2026-11-01.dump", b"PGDMP"),
        put(_private_media, "notes.txt", b"x"),
        put(_private_media, "lost+found/meetings/0.pdf"),  # "meetings" deeper down: not ours
    }
    left = orphan(county)
    age(_private_media / left)
    out = io.StringIO()
    call_command("sweep_uploads", "--dry-run", stdout=out)
    assert not any(stray in out.getvalue() for stray in strays)
    call_command("sweep_uploads", stdout=io.StringIO())
    assert stored_files(_private_media) == {kept.file.name, *strays}


def test_an_upload_folder_must_be_registered_for_the_sweep_to_see_it():
    assert generated_name("meetings", "pdf").startswith("meetings/")
    with pytest.raises(ValueError, match="UPLOAD_FOLDERS"):
        generated_name("reports", "pdf")


def test_a_database_that_references_no_stored_file_stops_the_sweep(_private_media, caplog):
    """A worker pointed at an empty database (a wrong DATABASE_URL, a restore in progress):
    every attachment looks orphaned. Nothing is deleted, the error is logged, the command exits
    non-zero and the task fails."""
    stored = {put(_private_media, generated_name("meetings", "pdf")) for _ in range(3)}
    caplog.set_level(logging.ERROR, logger="alliance.uploads")
    with pytest.raises(CommandError, match="3 of 3") as refused:
        call_command("sweep_uploads", "--max-share", "1", stdout=io.StringIO())
    assert refused.value.returncode != 0
    with pytest.raises(CommandError):
        call_command("sweep_uploads", "--dry-run", stdout=io.StringIO())
    result = uploads_sweep.apply(throw=False)  # as a worker runs it: the result records the error
    assert result.failed() and isinstance(result.result, SweepRefused)
    assert stored_files(_private_media) == stored
    assert "3 of 3 stored files" in caplog.text and "nothing was deleted" in caplog.text


def test_another_deployments_database_stops_the_sweep(county, _private_media):
    """Rows that name none of the files on this disk: the database is not the one these files
    belong to, however many rows it has."""
    elsewhere = attach(county)
    (_private_media / elsewhere.file.name).unlink()
    stored = {put(_private_media, generated_name("meetings", "pdf")) for _ in range(2)}
    with pytest.raises(CommandError, match="references none"):
        call_command("sweep_uploads", stdout=io.StringIO())
    assert stored_files(_private_media) == stored


def test_a_sweep_of_more_than_the_allowed_share_of_files_refuses(county, _private_media, settings):
    kept = attach(county)
    age(_private_media / kept.file.name)
    orphans = {orphan(county), orphan(county)}
    for name in orphans:
        age(_private_media / name)
    with pytest.raises(CommandError, match="2 of 3"):  # 2/3 is more than the default half
        call_command("sweep_uploads", stdout=io.StringIO())
    assert stored_files(_private_media) == {kept.file.name, *orphans}
    settings.UPLOAD_ORPHAN_MAX_SHARE = 0.7
    assert uploads_sweep.apply(throw=True).get() == 2
    assert stored_files(_private_media) == {kept.file.name}


def test_young_uploads_do_not_dilute_the_share_that_stops_the_sweep(county, _private_media):
    """On a busy day, new uploads would make a wrong database's orphans look few."""
    kept = attach(county)
    age(_private_media / kept.file.name)
    orphans = {orphan(county) for _ in range(3)}
    for name in orphans:
        age(_private_media / name)
    young = {attach(county).file.name for _ in range(10)}
    with pytest.raises(CommandError, match="3 of 4"):  # of the files old enough to go
        call_command("sweep_uploads", stdout=io.StringIO())
    assert stored_files(_private_media) == {kept.file.name, *orphans, *young}


def test_an_operator_may_allow_a_larger_share_for_one_run(county, _private_media):
    kept = attach(county)
    orphans = {orphan(county), orphan(county)}
    for name in orphans:
        age(_private_media / name)
    out = io.StringIO()
    call_command("sweep_uploads", "--max-share", "1", stdout=out)
    assert "2 orphaned file(s) deleted." in out.getvalue()
    assert stored_files(_private_media) == {kept.file.name}
    with pytest.raises(CommandError):
        call_command("sweep_uploads", "--max-share", "1.5", stdout=io.StringIO())


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
