"""Importing effectiveness figures from CSV: ``manage.py import_effectiveness FILE [--dry-run]``.

In the manner of the exchange import (docs/exchange-format.md): the whole
file is checked before anything is written, every problem is reported on a
line of its own naming the row, the service key and the column, and a file
with any problem writes nothing. A figure is identified by its service,
measure and period, so importing the same file again updates and never
duplicates; figures not in the file are left alone.

The file (docs/guidance.md#effectiveness-figures): UTF-8 (a byte order mark
is fine), a header row, then one figure per row. Columns are separated by
commas or by semicolons, as a Finnish spreadsheet saves them; a value may
have a decimal comma; dates are ``2025-03-31`` or ``31.3.2025``.
Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from wagtail.models import Locale

from catalogue.models import ServicePage
from guidance.models import EffectivenessFigure, Measure, Unit
from guidance.models.effectiveness import DEFAULT_UNITS, UNIT_RANGES

REQUIRED_COLUMNS = ("service", "measure", "value", "periodStart", "periodEnd")
OPTIONAL_COLUMNS = ("unit", "source", "date")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
SOURCE_LENGTH = EffectivenessFigure._meta.get_field("source").max_length
NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")
FINNISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
# The fields a row sets beside the figure's identity (service, measure, period).
VALUE_FIELDS = ("value", "unit", "source", "date")


class EffectivenessImportError(Exception):
    """A file that cannot be imported; ``messages`` lists every problem."""

    def __init__(self, messages):
        super().__init__(f"{len(messages)} error(s) in the file")
        self.messages = messages


@dataclass
class FigureRow:
    """One valid row: the figure it describes, and the row it came from."""

    row: int
    service: ServicePage
    measure: str
    value: float
    unit: str
    source: str
    date: date | None
    period_start: date
    period_end: date

    @property
    def identity(self):
        return (self.service.pk, self.measure, self.period_start, self.period_end)


def _decode(raw):
    if isinstance(raw, str):
        return raw.removeprefix("\ufeff")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = raw[: error.start].count(b"\n") + 1
        raise EffectivenessImportError(
            [f"row {row}: not valid UTF-8 (byte 0x{raw[error.start]:02X}); save the file as UTF-8"]
        ) from None


def _dialect(text):
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def _date(text):
    if finnish := FINNISH_DATE.match(text):
        day, month, year = (int(part) for part in finnish.groups())
        return date(year, month, day)
    return datetime.strptime(text, "%Y-%m-%d").date()


class _Row:
    """Reads one row's cells, collecting its problems as messages."""

    def __init__(self, line, cells, messages):
        self.line = line
        self.cells = cells
        self.messages = messages
        self.key = cells.get("service", "")

    def problem(self, column, message):
        name = f" [{self.key}]" if self.key else ""
        self.messages.append(f"row {self.line}{name}.{column}: {message}")

    def text(self, column):
        return self.cells.get(column, "")

    def required(self, column):
        value = self.text(column)
        if not value:
            self.problem(column, "required")
        return value

    def date(self, column, required=True):
        value = self.required(column) if required else self.text(column)
        if not value:
            return None
        try:
            return _date(value)
        except ValueError:
            self.problem(column, f'not a date (YYYY-MM-DD or D.M.YYYY): "{value}"')
            return None

    def number(self, column):
        value = self.required(column)
        if not value:
            return None
        if not NUMBER.match(value):
            self.problem(column, f'not a number: "{value}"')
            return None
        return float(value.replace(",", "."))


def _unit_range_problem(value, unit):
    low, high = UNIT_RANGES[Unit(unit)]
    if value < low:
        return f"{value:g} is below {low}, the least a value in {unit} can be"
    if high is not None and value > high:
        return f"{value:g} is above {high}, the most a value in {unit} can be"
    return None


def _header(reader, messages):
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        messages.append("row 1: the file is empty; the first row names the columns")
        return None
    for name in header:
        if name not in COLUMNS:
            messages.append(f"row 1.{name}: unknown column (columns: {', '.join(COLUMNS)})")
    for name in REQUIRED_COLUMNS:
        if name not in header:
            messages.append(f"row 1.{name}: missing column")
    repeated = sorted({name for name in header if header.count(name) > 1})
    for name in repeated:
        messages.append(f"row 1.{name}: given {header.count(name)} times")
    return None if messages else header


def parse_figures(raw):
    """The file's rows as FigureRows; raises EffectivenessImportError naming every problem."""
    text = _decode(raw)
    messages = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(text))
    header = _header(reader, messages)
    if header is None:
        raise EffectivenessImportError(messages)
    rows = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            number = reader.line_num
            if len(cells) != len(header):
                key = dict(zip(header, cells, strict=False)).get("service", "")
                messages.append(
                    f"row {number}{f' [{key}]' if key else ''}: {len(cells)} columns, "
                    f"the header has {len(header)}"
                )
                continue
            cells = dict(zip(header, (cell.strip() for cell in cells), strict=True))
            rows.append(_Row(number, cells, messages))
    except csv.Error as error:
        messages.append(f"row {reader.line_num}: cannot read the row ({error})")
    figures = _validate(rows, messages)
    if messages:
        raise EffectivenessImportError(messages)
    return figures


def _validate(rows, messages):
    keys = {row.key for row in rows if row.key}
    services = {
        page.key: page
        for page in ServicePage.objects.filter(key__in=keys, locale=Locale.get_default())
    }
    figures = []
    seen = {}
    for row in rows:
        service = None
        if row.required("service"):
            service = services.get(row.key)
            if service is None:
                row.problem("service", f'unknown service "{row.key}"')
        measure = row.required("measure")
        if measure and measure not in Measure.values:
            row.problem(
                "measure", f'unknown measure "{measure}" (known: {", ".join(Measure.values)})'
            )
            measure = None
        unit = row.text("unit") or (DEFAULT_UNITS[Measure(measure)] if measure else "")
        if unit and unit not in Unit.values:
            row.problem("unit", f'unknown unit "{unit}" (known: {", ".join(Unit.values)})')
            unit = None
        value = row.number("value")
        if value is not None and unit and (problem := _unit_range_problem(value, unit)):
            row.problem("value", problem)
        period_start = row.date("periodStart")
        period_end = row.date("periodEnd")
        if period_start and period_end and period_end < period_start:
            row.problem("periodEnd", f"before periodStart ({period_start.isoformat()})")
        figure_date = row.date("date", required=False)
        source = row.text("source")
        if len(source) > SOURCE_LENGTH:
            row.problem("source", f"at most {SOURCE_LENGTH} characters ({len(source)} given)")
        if service and measure and period_start and period_end:
            identity = (service.pk, measure, period_start, period_end)
            if identity in seen:
                row.problem(
                    "measure",
                    f"the same service, measure and period as row {seen[identity]}",
                )
            seen.setdefault(identity, row.line)
        figures.append(
            FigureRow(
                row.line,
                service,
                measure,
                value,
                unit,
                source,
                figure_date,
                period_start,
                period_end,
            )
        )
    return figures


def import_figures(raw, dry_run=False):
    """Validate the CSV file ``raw`` (bytes or text), then write it all or nothing.

    Returns counts ``{"created": n, "updated": n, "unchanged": n}`` (what would
    be done, in a dry run, which writes nothing).
    """
    figures = parse_figures(raw)
    existing = {
        (figure.service_id, figure.measure, figure.period_start, figure.period_end): figure
        for figure in EffectivenessFigure.objects.filter(
            service__in={row.service.pk for row in figures}
        )
    }
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    changes = []
    for row in figures:
        figure = existing.get(row.identity)
        if figure is None:
            figure = EffectivenessFigure(
                service=row.service,
                measure=row.measure,
                period_start=row.period_start,
                period_end=row.period_end,
            )
            counts["created"] += 1
        elif all(getattr(figure, name) == getattr(row, name) for name in VALUE_FIELDS):
            counts["unchanged"] += 1
            continue
        else:
            counts["updated"] += 1
        for name in VALUE_FIELDS:
            setattr(figure, name, getattr(row, name))
        changes.append(figure)
    if not dry_run:
        with transaction.atomic():
            for figure in changes:
                figure.save()
    return counts
