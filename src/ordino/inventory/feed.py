"""The bulk stock feed: apply a merchant's file of absolute stock counts (docs/inventory.md).

Two passes over the file, so that memory stays bounded whatever its size:

1. Validate every row (syntax, known location and SKU, no kit, no duplicate) and spool the
   resolved ids to a temporary file. Any malformed row refuses the whole file: nothing is
   written, and the errors name the line and the column (the first 100 are listed).
2. Apply the spooled rows in chunks of CHUNK_ROWS with `ledger_bulk.counts_apply_staged`: the
   chunk goes to the database as it is (COPY / executemany into a temporary table) and a fixed
   handful of set-based statements lock the chunk's balances (primary-key order), apply the
   pure rule (unchanged / counted movement / refused below committed + unavailable), append one
   `feed` movement per changed balance and set on hand. Python never loops over the rows in
   this pass. Rows refused by the stock rule are skipped and listed.

Each chunk is its own transaction when the caller holds none (the CLI), so that orders keep
flowing during a large feed; inside a caller's transaction (the API) the feed is one
transaction. Counts are absolute: applying the same file again changes nothing more, so a feed
interrupted midway (left `applying`) is finished by applying it again.
"""

from __future__ import annotations

import io
import os
import tempfile
from array import array
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ordino.catalog.models import Sku
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.transactions import use_case_atomic
from ordino.events.services import event_emit
from ordino.inventory.domain import feed as dom
from ordino.inventory.domain.ledger import Quantities
from ordino.inventory.events import StockFeedApplied
from ordino.inventory.ledger import LedgerContext
from ordino.inventory.ledger_bulk import counts_apply_staged, stage_prepare
from ordino.inventory.models import StockFeed
from ordino.locations.models import Location

FEED = "feed"  # the reason written on the feed's movements
CHUNK_ROWS = 20_000  # rows per SKU look-up and per applied chunk (one transaction from the CLI)
MAX_ERRORS = 100  # malformed rows listed in the refusal
MAX_REFUSALS = 1000  # stock-rule refusals kept on the StockFeed
SKU_CACHE = 200_000

RowsOrFile = str | os.PathLike | IO[str] | IO[bytes] | Iterable[str] | Iterable[tuple]
_Row = tuple[int, str, str, int]  # line, location code, SKU code, count


# --- pass 1: validate and spool -------------------------------------------------------------


def _lines(source: RowsOrFile) -> Iterator[_Row | dom.RowError]:
    if isinstance(source, str | os.PathLike):
        with open(source, encoding="utf-8-sig", newline="") as handle:
            yield from dom.rows_scan(handle)
        return
    if isinstance(source, io.RawIOBase | io.BufferedIOBase) or (
        hasattr(source, "read") and "b" in getattr(source, "mode", "")
    ):
        text = io.TextIOWrapper(source, encoding="utf-8-sig", newline="")  # type: ignore[arg-type]
        try:
            yield from dom.rows_scan(text)
        finally:
            text.detach()
        return
    items = iter(source)
    first = next(items, None)
    if first is None:
        return
    if isinstance(first, str):
        yield from dom.rows_scan(_prepend(first, items))
        return
    yield from _tuples(_prepend(first, items))


def _prepend(first, rest: Iterator) -> Iterator:
    yield first
    yield from rest


def _tuples(rows: Iterable[tuple]) -> Iterator[_Row | dom.RowError]:
    """Rows given as (location, sku, quantity) tuples: the same rules as a file's lines."""
    for line, row in enumerate(rows, start=1):
        if len(row) != 3:
            yield dom.RowError(line, "row", "wrong_field_count", f"row {line}: expected 3 fields.")
            continue
        location, sku, quantity = row
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            yield dom.RowError(
                line, "quantity", "not_an_integer", f"row {line}: {quantity!r} is not an integer."
            )
        elif quantity < 0:
            yield dom.RowError(line, "quantity", "negative", f"row {line}: {quantity} < 0.")
        else:
            yield (line, str(location), str(sku), quantity)


@dataclass
class _Validated:
    rows: int
    spool: IO[bytes]
    location_codes: dict[int, str]


class _Resolver:
    """Codes to ids: every location at once (few), SKUs per chunk with a bounded cache."""

    def __init__(self, visible_location_ids: Collection[int] | None) -> None:
        locations = Location.objects.all()
        if visible_location_ids is not None:
            locations = locations.filter(id__in=visible_location_ids)
        self.locations = dict(locations.values_list("code", "id"))
        self.skus: dict[str, tuple[int, str]] = {}

    def skus_load(self, codes: set[str]) -> None:
        wanted = codes - self.skus.keys()
        if not wanted:
            return
        if len(self.skus) + len(wanted) > SKU_CACHE:
            self.skus.clear()
            wanted = codes
        for code, pk, kind in Sku.objects.filter(code__in=wanted).values_list("code", "id", "kind"):
            self.skus[code] = (pk, kind)


def _validate(source: RowsOrFile, *, visible_location_ids: Collection[int] | None) -> _Validated:
    """Pass 1: check every row and spool the resolved ones; refuse the file (DomainError
    `feed_invalid`, `feed_not_utf8` or `feed_empty`, nothing written) if any row is malformed."""
    check = _Check(_Resolver(visible_location_ids))
    chunk: list[_Row] = []
    try:
        for item in _lines(source):
            if isinstance(item, dom.RowError):
                check.fail(item)
                continue
            chunk.append(item)
            if len(chunk) >= CHUNK_ROWS:
                check.chunk_check(chunk)
                chunk = []
    except UnicodeDecodeError:
        check.spool.close()
        raise DomainError(
            "feed_not_utf8", "The feed is not UTF-8 text; nothing was changed."
        ) from None
    if chunk:
        check.chunk_check(chunk)
    if check.error_count:
        check.spool.close()
        raise check.refusal()
    if check.rows == 0:
        check.spool.close()
        raise DomainError("feed_empty", "The feed has no rows; nothing was changed.")
    check.spool.seek(0)
    return _Validated(
        rows=check.rows,
        spool=check.spool,
        location_codes={v: k for k, v in check.resolver.locations.items()},
    )


class _Check:
    """Pass 1's state: the rows checked, the errors found (the first MAX_ERRORS kept), which
    (location, SKU) pairs were seen (a bitmap of SKU ids per location: a million rows fit in a
    few hundred kilobytes), and the spool of resolved rows (line, location id, SKU id, count)."""

    def __init__(self, resolver: _Resolver) -> None:
        self.resolver = resolver
        self.seen: dict[int, bytearray] = defaultdict(bytearray)  # location id → SKU id bitmap
        self.errors: list[dom.RowError] = []
        self.error_count = 0
        self.rows = 0
        self.spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by _validate's caller

    def fail(self, error: dom.RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)

    def chunk_check(self, chunk: list[_Row]) -> None:
        self.resolver.skus_load({row[2] for row in chunk})
        locations, skus, seen = self.resolver.locations, self.resolver.skus, self.seen
        packed = array("q")
        for row in chunk:
            # the common case inline (a known location, a stockable SKU seen first here); any
            # other row goes through _resolve, which says what is wrong
            line, location, sku, quantity = row
            location_id, (sku_id, kind) = locations.get(location), skus.get(sku, (0, Sku.KIT))
            bitmap = seen[location_id] if location_id is not None else None
            byte, bit = sku_id >> 3, 1 << (sku_id & 7)
            if kind == Sku.KIT or bitmap is None or (byte < len(bitmap) and bitmap[byte] & bit):
                resolved = self._resolve(row)
                if isinstance(resolved, dom.RowError):
                    self.fail(resolved)
                else:
                    packed.extend((line, *resolved, quantity))
                continue
            if byte >= len(bitmap):
                bitmap.extend(bytes(byte - len(bitmap) + 1024))
            bitmap[byte] |= bit
            packed.extend((line, location_id, sku_id, quantity))
        if not self.errors:  # once the file is refused, nothing more needs spooling
            packed.tofile(self.spool)
        self.rows += len(chunk)

    def _resolve(self, row: _Row) -> tuple[int, int] | dom.RowError:
        """The row's (location id, SKU id), or why it cannot be applied."""
        line, location, sku, _ = row
        location_id = self.resolver.locations.get(location)
        if location_id is None:
            return dom.RowError(
                line, "location", "unknown_location", f"line {line}: no location {location!r}."
            )
        found = self.resolver.skus.get(sku)
        if found is None:
            return dom.RowError(line, "sku", "unknown_sku", f"line {line}: no SKU {sku!r}.")
        sku_id, kind = found
        if kind == Sku.KIT:
            return dom.RowError(
                line,
                "sku",
                "kit_not_stockable",
                f"line {line}: SKU {sku!r} is a kit: it has no stock of its "
                "own; send its components' counts instead.",
            )
        if not self._first_sighting(location_id, sku_id):
            return dom.RowError(
                line,
                "row",
                "duplicate_row",
                f"line {line}: {location} {sku} appears on an earlier "
                "line already; send each location and SKU once.",
            )
        return location_id, sku_id

    def _first_sighting(self, location_id: int, sku_id: int) -> bool:
        bitmap = self.seen[location_id]
        byte, bit = divmod(sku_id, 8)
        if byte >= len(bitmap):
            bitmap.extend(bytes(byte - len(bitmap) + 1024))
        if bitmap[byte] & (1 << bit):
            return False
        bitmap[byte] |= 1 << bit
        return True

    def refusal(self) -> DomainError:
        errors = sorted(self.errors, key=lambda e: e.line)
        listed = f" (the first {len(errors)} are listed)" if self.error_count > len(errors) else ""
        return DomainError(
            "feed_invalid",
            f"The feed was refused and nothing was changed: {self.error_count} row(s) have "
            f"errors{listed}. First: {errors[0].message}",
            errors=[e.as_problem() for e in errors],
        )


def _spooled(spool: IO[bytes]) -> Iterator[array]:
    """The spooled rows, CHUNK_ROWS at a time, as flat runs of (line, location id, SKU id,
    count): handed to the database as they are, never one object per row."""
    width = 4 * array("q").itemsize
    while True:
        data = spool.read(CHUNK_ROWS * width)
        if not data:
            return
        values = array("q")
        values.frombytes(data)
        yield values


# --- pass 2: apply --------------------------------------------------------------------------


@dataclass
class _Tally:
    applied: int = 0
    unchanged: int = 0
    refused: int = 0


def _chunk_apply(
    chunk: array,
    *,
    tally: _Tally,
    refusals: list[dict],
    location_codes: dict[int, str],
    context: LedgerContext,
) -> None:
    outcome = counts_apply_staged(
        chunk,
        context=context,
        refusals_room=MAX_REFUSALS - len(refusals),
    )
    tally.applied += outcome.applied
    tally.unchanged += outcome.unchanged
    tally.refused += outcome.refused
    if outcome.refusals:
        _refusals_note(outcome.refusals, refusals, location_codes)


def _refusals_note(
    rows: list[tuple[int, int, int, int, Quantities]],
    refusals: list[dict],
    location_codes: dict[int, str],
) -> None:
    room = MAX_REFUSALS - len(refusals)
    if room <= 0:
        return
    rows = sorted(rows)[:room]
    sku_codes = dict(Sku.objects.filter(id__in={r[2] for r in rows}).values_list("id", "code"))
    for line, location_id, sku_id, counted, q in rows:
        location, sku = location_codes[location_id], sku_codes[sku_id]
        refusals.append(
            {
                "line": line,
                "location": location,
                "sku": sku,
                "counted": counted,
                "on_hand": q.on_hand,
                "committed": q.committed,
                "unavailable": q.unavailable,
                "code": "count_below_committed",
                "message": dom.refusal_message(
                    line=line, location=location, sku=sku, counted=counted, current=q
                ),
            }
        )


def stock_feed_apply(
    *,
    rows_or_file: RowsOrFile,
    actor: str,
    file_name: str = "",
    visible_location_ids: Collection[int] | None = None,
) -> StockFeed:
    """Apply a bulk stock feed: each row sets on hand of a (location, SKU) to an absolute count.

    `rows_or_file`: a path, a text or binary file, text lines, or (location, sku, quantity)
    tuples. `visible_location_ids` limits the locations the caller may feed (others are as
    unknown as a location that does not exist). Raises DomainError `feed_invalid` (with field
    errors naming line and column) or `feed_empty`, having changed nothing. Returns the
    StockFeed: rows, applied (changed), unchanged, refused (listed in `refusals`)."""
    if not file_name and isinstance(rows_or_file, str | os.PathLike):
        file_name = Path(rows_or_file).name
    validated = _validate(rows_or_file, visible_location_ids=visible_location_ids)
    try:
        with use_case_atomic():
            feed = StockFeed.objects.create(
                file_name=file_name[:255], rows=validated.rows, actor=actor, started_at=utcnow()
            )
        context = LedgerContext(reason=FEED, actor=actor, reference=f"feed:{feed.pk}")
        with use_case_atomic():
            stage_prepare()
        tally = _Tally()
        refusals: list[dict] = []
        for chunk in _spooled(validated.spool):
            with use_case_atomic():
                _chunk_apply(
                    chunk,
                    tally=tally,
                    refusals=refusals,
                    location_codes=validated.location_codes,
                    context=context,
                )
                StockFeed.objects.filter(pk=feed.pk).update(
                    applied=tally.applied, unchanged=tally.unchanged, refused=tally.refused
                )
    finally:
        validated.spool.close()
    _feed_finish(feed, tally, refusals)
    return feed


def _feed_finish(feed: StockFeed, tally: _Tally, refusals: list[dict]) -> None:
    """Record the outcome and announce it (the outbox event carries the counts)."""
    with use_case_atomic():
        feed.applied, feed.unchanged, feed.refused = tally.applied, tally.unchanged, tally.refused
        feed.refusals = refusals
        feed.status = StockFeed.APPLIED
        feed.finished_at = utcnow()
        feed.save(
            update_fields=["applied", "unchanged", "refused", "refusals", "status", "finished_at"]
        )
        event_emit(
            event=StockFeedApplied(
                feed_id=feed.pk,
                file_name=feed.file_name,
                rows=feed.rows,
                applied=feed.applied,
                unchanged=feed.unchanged,
                refused=feed.refused,
            ),
            aggregate_id=feed.pk,
        )
