"""Load partners, venues and rooms from a CSV or XLSX file: preview first, all or nothing.

One row per room. Columns (first row, any order, case-insensitive): partner, partner_type,
agreement, partner_email, partner_phone, venue, address, neighbourhood, latitude,
longitude, public_transport, room, capacity, equipment, accessibility, cost_per_hour.
Equipment and accessibility are lists of vocabulary keys separated by ";" or ",".
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from interra.core.errors import DomainError

from .models import Accessibility, Agreement, Equipment, Partner, PartnerType, Room, Venue

COLUMNS = ["partner", "partner_type", "agreement", "partner_email", "partner_phone", "venue",
           "address", "neighbourhood", "latitude", "longitude", "public_transport", "room",
           "capacity", "equipment", "accessibility", "cost_per_hour"]
REQUIRED = ["partner", "venue", "address", "room", "capacity"]
MAX_ROWS = 1000


@dataclass
class RowResult:
    line: int
    values: dict
    errors: list[str] = field(default_factory=list)


# A room list is a few hundred rows: caps far above that, far below what hurts a worker.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_UNZIPPED_BYTES = 20 * 1024 * 1024  # an XLSX is a zip: its parts, once unpacked
MAX_COLUMNS = 40
MAX_SCANNED_ROWS = MAX_ROWS * 5  # empty rows included


def _too_big() -> DomainError:
    return DomainError(
        _("This file is too big: at most %(size)s MB and %(count)s rows.")
        % {"size": MAX_FILE_BYTES // (1024 * 1024), "count": MAX_ROWS}, code="too_big")


def _xlsx_rows(upload):
    import zipfile

    from openpyxl import load_workbook

    with zipfile.ZipFile(upload) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
            raise _too_big()
    upload.seek(0)
    # read_only streams the sheet; max_col ignores the thousands of empty columns a sheet
    # may claim (its "dimension"), which is what made a small file cost hundreds of MB.
    workbook = load_workbook(upload, read_only=True, data_only=True)
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS):
            yield ["" if cell is None else str(cell) for cell in row]
    finally:
        workbook.close()


def _csv_rows(upload):
    text = upload.read(MAX_FILE_BYTES + 1).decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    for values in csv.reader(io.StringIO(text), dialect):
        yield values[:MAX_COLUMNS]


def read_rows(upload) -> list[dict]:
    """The file's rows as dicts of stripped strings keyed by known column names.

    Streams the file and stops at the caps (size, unpacked size, columns, rows): a
    file over them is refused with a message, before it costs memory or time.
    """
    if getattr(upload, "size", 0) > MAX_FILE_BYTES:
        raise _too_big()
    name = upload.name.lower()
    header, rows, scanned = None, [], 0
    try:
        table = _xlsx_rows(upload) if name.endswith(".xlsx") else _csv_rows(upload)
        for values in table:
            scanned += 1
            if scanned > MAX_SCANNED_ROWS or len(rows) > MAX_ROWS:
                raise DomainError(_("At most %(count)s rows at a time.")
                                  % {"count": MAX_ROWS}, code="too_many")
            if header is None:
                header = [str(h).strip().lower().replace(" ", "_") for h in values]
                missing = [c for c in REQUIRED if c not in header]
                if missing:
                    raise DomainError(_("Missing columns: %(columns)s")
                                      % {"columns": ", ".join(missing)}, code="columns")
                continue
            if not any(str(v).strip() for v in values):
                continue
            row = {column: "" for column in COLUMNS}
            for column, value in zip(header, values, strict=False):
                if column in row:
                    row[column] = str(value).strip()[:500]
            rows.append(row)
    except DomainError:
        raise
    except Exception as exc:  # any unreadable file gets the same kind answer
        raise DomainError(_("This file cannot be read. Save it as CSV (UTF-8) or XLSX."),
                          code="unreadable") from exc
    if header is None:
        raise DomainError(_("The file is empty."), code="empty")
    if len(rows) > MAX_ROWS:
        raise DomainError(_("At most %(count)s rows at a time.") % {"count": MAX_ROWS},
                          code="too_many")
    return rows


def _keys(value: str, choices) -> tuple[list[str], list[str]]:
    by_label = {str(label).casefold(): key for key, label in choices.choices}
    keys, unknown = [], []
    for part in value.replace(",", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        key = part if part in choices.values else by_label.get(part.casefold())
        (keys if key else unknown).append(key or part)
    return keys, unknown


def validate_rows(city, rows: list[dict]) -> list[RowResult]:
    """Check every row; the line numbers are the spreadsheet's (header = line 1)."""
    results = []
    seen = set()
    existing = set(Room.objects.filter(venue__city=city)
                   .values_list("venue__name", "name"))
    existing = {(v.casefold(), r.casefold()) for v, r in existing}
    for index, row in enumerate(rows, start=2):
        result = RowResult(line=index, values=row)
        errors = result.errors
        for column in REQUIRED:
            if not row[column]:
                errors.append(_("%(column)s is required.") % {"column": column})
        try:
            capacity = int(row["capacity"] or 0)
            if row["capacity"] and not 1 <= capacity <= 1000:
                raise ValueError
        except ValueError:
            errors.append(_("capacity must be a whole number between 1 and 1000."))
        if row["partner_type"] and row["partner_type"] not in PartnerType.values:
            errors.append(_("Unknown partner type: %(value)s") % {"value": row["partner_type"]})
        if row["agreement"] and row["agreement"] not in Agreement.values:
            errors.append(_("agreement must be free, paid or conditions."))
        if row["partner_email"]:
            try:
                validate_email(row["partner_email"])
            except ValidationError:
                errors.append(_("This email address is not valid."))
        for column, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
            if row[column]:
                try:
                    number = Decimal(row[column].replace(",", "."))
                    if not low <= number <= high:
                        raise InvalidOperation
                except InvalidOperation:
                    errors.append(_("%(column)s is not a valid coordinate.") % {"column": column})
        if row["cost_per_hour"]:
            try:
                if Decimal(row["cost_per_hour"].replace(",", ".")) < 0:
                    raise InvalidOperation
            except InvalidOperation:
                errors.append(_("cost_per_hour must be a positive number."))
        for column, choices in (("equipment", Equipment), ("accessibility", Accessibility)):
            _found, unknown = _keys(row[column], choices)
            if unknown:
                errors.append(_("Unknown %(column)s: %(values)s")
                              % {"column": column, "values": ", ".join(unknown)})
        key = (row["venue"].casefold(), row["room"].casefold())
        if key in seen:
            errors.append(_("This room appears twice in the file."))
        elif key in existing:
            errors.append(_("This room already exists."))
        seen.add(key)
        results.append(result)
    return results


def _decimal(value: str):
    return Decimal(value.replace(",", ".")) if value else None


@transaction.atomic
def rooms_import(*, city, rows: list[dict]) -> dict:
    """Create the partners, venues and rooms of ``rows`` in ``city``; nothing if any row is
    wrong (DomainError). Partners and venues are matched by name, so one file can list
    several rooms of one venue. Returns counts of what was created."""
    results = validate_rows(city, rows)
    if any(result.errors for result in results):
        raise DomainError(_("Some rows are wrong: nothing was imported."), code="rows")
    created = {"partners": 0, "venues": 0, "rooms": 0}
    partners, venues = {}, {}
    for result in results:
        row = result.values
        partner_key = row["partner"].casefold()
        if partner_key not in partners:
            partner = Partner.objects.filter(city=city, name__iexact=row["partner"]).first()
            if partner is None:
                partner = Partner.objects.create(
                    city=city, name=row["partner"][:120],
                    kind=row["partner_type"] or PartnerType.VENUE_HOST,
                    agreement=row["agreement"] or Agreement.FREE,
                    email=row["partner_email"], phone=row["partner_phone"][:32],
                )
                created["partners"] += 1
            partners[partner_key] = partner
        partner = partners[partner_key]
        venue_key = (partner.pk, row["venue"].casefold())
        if venue_key not in venues:
            venue = Venue.objects.filter(partner=partner, name__iexact=row["venue"]).first()
            if venue is None:
                venue = Venue.objects.create(
                    partner=partner, city=city, name=row["venue"][:120],
                    address=row["address"][:200], neighbourhood=row["neighbourhood"][:80],
                    latitude=_decimal(row["latitude"]), longitude=_decimal(row["longitude"]),
                    public_transport=row["public_transport"],
                )
                created["venues"] += 1
            venues[venue_key] = venue
        Room.objects.create(
            venue=venues[venue_key], name=row["room"][:120], capacity=int(row["capacity"]),
            equipment=_keys(row["equipment"], Equipment)[0],
            accessibility=_keys(row["accessibility"], Accessibility)[0],
            cost_per_hour=_decimal(row["cost_per_hour"]) or 0,
        )
        created["rooms"] += 1
    return created
