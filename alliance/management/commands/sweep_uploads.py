import datetime

from django.conf import settings
from django.core.management.base import BaseCommand

from alliance.uploads import orphans_sweep


class Command(BaseCommand):
    help = (
        "Delete uploaded files that no record points to (left by a transaction that rolled "
        "back after the upload). Celery beat runs it nightly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours",
            type=int,
            default=settings.UPLOAD_ORPHAN_GRACE_HOURS,
            help="Spare files younger than this (uploads in flight). Default: %(default)s.",
        )
        parser.add_argument("--dry-run", action="store_true", help="List, delete nothing.")

    def handle(self, *args, older_than_hours, dry_run, **options):
        names = orphans_sweep(
            older_than=datetime.timedelta(hours=older_than_hours), dry_run=dry_run
        )
        for name in names:
            self.stdout.write(name)
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(self.style.SUCCESS(f"{len(names)} orphaned file(s) {verb}."))
