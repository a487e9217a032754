"""A column mapping: which source column feeds which field, and constants for every row.

`columns`: {source column: field}. A field no column names is read from the column of its own
name when the file has one (so a file with Ordino's headers needs no mapping). `constants`:
{field: value} used for every row whose cell is blank or absent (a legacy export's channel, its
currency). `timezone` among the constants says how naive dates are read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ordino.transfer.domain.fields import KIND_FIELDS, STATUS_MAP, TIMEZONE, fields_of

MAX_COLUMNS = 200
MAX_CONSTANT = 500


@dataclass(frozen=True)
class Problem:
    """One reason a file or row is refused: where (row 1 is the header) and why."""

    row: int
    column: str
    code: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}


@dataclass(frozen=True)
class Plan:
    """How a file's header maps onto a kind's fields: the position read for each field."""

    kind: str
    positions: dict[str, int]  # field → index in the row
    columns: dict[str, str]  # field → the source column's name (for errors)
    constants: dict[str, str] = field(default_factory=dict)
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    ignored: tuple[str, ...] = ()
    statuses: dict[str, str] = field(default_factory=dict)  # legacy status → Ordino status

    def column_of(self, field_name: str) -> str:
        if field_name in self.columns:
            return self.columns[field_name]
        return f"(constant {field_name})" if field_name in self.constants else field_name


def mapping_check(kind: str, columns: dict, constants: dict) -> list[Problem]:
    """What is wrong with a mapping before any file is read."""
    if kind not in KIND_FIELDS:
        return [Problem(0, "kind", "unknown_kind", f"Unknown import kind {kind!r}.")]
    known = fields_of(kind)
    problems: list[Problem] = []
    if not isinstance(columns, dict) or not isinstance(constants, dict):
        return [Problem(0, "mapping", "invalid_mapping", "columns and constants are objects.")]
    if len(columns) > MAX_COLUMNS:
        problems.append(Problem(0, "mapping", "too_many", f"At most {MAX_COLUMNS} columns."))
    targets: dict[str, str] = {}
    for source, target in columns.items():
        if not isinstance(source, str) or not isinstance(target, str) or target not in known:
            problems.append(_unknown(kind, source, target))
        elif target in targets:
            problems.append(
                Problem(0, source, "mapped_twice", f"{target} is fed by {targets[target]!r} too.")
            )
        else:
            targets[target] = source
    for name, value in constants.items():
        if name == TIMEZONE:
            if _zone(value) is None:
                problems.append(Problem(0, name, "invalid_timezone", f"Unknown zone {value!r}."))
        elif name == STATUS_MAP and kind == "legacy_orders":
            if not isinstance(value, str) or status_map_parse(value) is None:
                problems.append(
                    Problem(0, name, "invalid_status_map", "status_map reads 'theirs=ours;...'.")
                )
        elif name not in known:
            problems.append(_unknown(kind, "(constant)", name))
        elif not isinstance(value, str | int) or len(str(value)) > MAX_CONSTANT:
            problems.append(Problem(0, name, "invalid_constant", "A constant is short text."))
    return problems


def _unknown(kind: str, source: object, target: object) -> Problem:
    names = ", ".join(fields_of(kind))
    return Problem(
        0, str(source), "unknown_field", f"{target!r} is not a field of {kind}: {names}."
    )


def _zone(value: object) -> ZoneInfo | None:
    try:
        return ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        return None


def plan_make(kind: str, header: list[str], columns: dict, constants: dict) -> Plan | list[Problem]:
    """Match a file's header row to the kind's fields; problems name the missing columns."""
    problems = mapping_check(kind, columns, constants)
    if problems:
        return problems
    names = [str(h or "").strip() for h in header]
    index = {}
    for i, name in enumerate(names):
        if name in index and name:
            problems.append(Problem(1, name, "duplicate_column", f"Column {name!r} is twice."))
        index.setdefault(name, i)
    positions: dict[str, int] = {}
    sources: dict[str, str] = {}
    for source, target in columns.items():
        if source not in index:
            problems.append(Problem(1, source, "missing_column", f"No column {source!r}."))
            continue
        positions[target], sources[target] = index[source], source
    for name in fields_of(kind):
        if name not in positions and name in index and name not in columns:
            positions[name], sources[name] = index[name], name
    for f in KIND_FIELDS[kind]:
        mapped = f.name in columns.values()  # its column is missing: said above
        if f.required and f.name not in positions and f.name not in constants and not mapped:
            problems.append(
                Problem(1, f.name, "missing_column", f"No column feeds {f.name} (required).")
            )
    if problems:
        return problems
    used = set(sources.values())
    return Plan(
        kind=kind,
        positions=positions,
        columns=sources,
        constants={k: str(v) for k, v in constants.items() if k in fields_of(kind)},
        statuses=status_map_parse(str(constants.get(STATUS_MAP, ""))) or {},
        zone=_zone(constants.get(TIMEZONE, "UTC")) or ZoneInfo("UTC"),
        ignored=tuple(n for n in names if n and n not in used),
    )


def status_map_parse(text: str) -> dict[str, str] | None:
    """'Completed=delivered; Processing=open' → {"completed": "delivered", ...}; None: bad."""
    pairs: dict[str, str] = {}
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        theirs, sep, ours = part.partition("=")
        if not sep or not theirs.strip() or not ours.strip():
            return None
        pairs[theirs.strip().lower()] = ours.strip().lower()
    return pairs
