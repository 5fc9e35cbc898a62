import argparse
import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from alliance.uploads import SweepRefused, orphans_sweep


def share(value: str) -> float:
    number = float(value)
    if not 0 < number <= 1:
        raise argparse.ArgumentTypeError("a share between 0 and 1, e.g. 0.5")
    return number


class Command(BaseCommand):
    help = (
        "Delete uploaded files that no record points to (left by a transaction that rolled "
        "back after the upload). Celery beat runs it nightly. Refuses, deleting nothing and "
        "exiting non-zero, when the database references none of the stored files or when "
        "more than the allowed share of them would go."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours",
            type=int,
            default=settings.UPLOAD_ORPHAN_GRACE_HOURS,
            help="Spare files younger than this (uploads in flight). Default: %(default)s.",
        )
        parser.add_argument("--dry-run", action="store_true", help="List, delete nothing.")
        parser.add_argument(
            "--max-share",
            type=share,
            help=(
                "Refuse when more than this share of the stored files would go "
                "(default: settings.UPLOAD_ORPHAN_MAX_SHARE). 1 allows any share, once the "
                "database is known to be the right one."
            ),
        )

    def handle(self, *args, older_than_hours, dry_run, max_share, **options):
        try:
            names = orphans_sweep(
                older_than=datetime.timedelta(hours=older_than_hours),
                dry_run=dry_run,
                max_share=max_share,
            )
        except SweepRefused as refused:
            raise CommandError(str(refused)) from refused
        for name in names:
            self.stdout.write(name)
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(self.style.SUCCESS(f"{len(names)} orphaned file(s) {verb}."))
