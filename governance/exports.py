"""Vote results and action items as CSV and Excel, for the council's files and the bureau."""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook


def vote_table(resolutions) -> tuple[list[str], list[list]]:
    header = [
        _("Meeting"),
        _("Date"),
        _("Resolution"),
        _("Kind"),
        _("Outcome"),
        pgettext("vote", "Yes"),
        pgettext("vote", "No"),
        _("Abstain"),
        _("Schools present"),
        _("Member schools"),
        _("Votes by school"),
    ]
    rows = [
        [
            r.meeting.title,
            timezone.localtime(r.meeting.starts_at).date().isoformat(),
            r.title,
            r.get_kind_display(),
            r.get_outcome_display() if r.outcome else _("Open"),
            r.yes,
            r.no,
            r.abstain,
            r.schools_present,
            r.member_schools,
            "; ".join(_vote_shown(v) for v in r.votes.all()),
        ]
        for r in resolutions
    ]
    return header, rows


def _vote_shown(vote) -> str:
    shown = f"{vote.school.name}: {vote.get_choice_display()}"
    if vote.counted is False:  # the page says why; a spreadsheet cell, briefly
        return _("%(vote)s (not counted)") % {"vote": shown}
    return shown


def action_table(items) -> tuple[list[str], list[list]]:
    header = [
        _("Resolution"),
        _("What"),
        _("Owner"),
        _("Due on"),
        _("Done on"),
        _("Latest progress"),
    ]
    rows = []
    for item in items:
        notes = list(item.notes.all())
        owner = item.owner_person.name if item.owner_person else item.owner_school.name
        rows.append(
            [
                item.resolution.title,
                item.description,
                owner,
                item.due_on.isoformat(),
                item.done_on.isoformat() if item.done_on else "",
                notes[-1].note if notes else "",
            ]
        )
    return header, rows


# Text that starts with one of these is a formula to Excel and WPS when it opens a CSV file:
# a motion titled "=HYPERLINK(…)" by any member principal would run in the bureau's copy.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _as_text(cell):
    """The cell as text a spreadsheet shows and does not compute (OWASP's "CSV injection")."""
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return cell


def as_csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([_as_text(cell) for cell in row] for row in rows)
    # The byte-order mark makes Excel read the file as UTF-8, so Chinese shows correctly.
    return buffer.getvalue().encode("utf-8-sig")


def as_xlsx(header: list[str], rows: list[list], title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # Excel's limit on sheet names
    sheet.append(header)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # openpyxl took the text for a formula: keep it text
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
