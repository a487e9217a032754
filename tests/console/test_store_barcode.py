"""The Code 128 barcodes the store screen draws for SKUs."""

from __future__ import annotations

from ordino.console.store.barcode import PATTERNS, STOP, barcode_svg, code128_widths


def test_the_pattern_table_is_code_128s():
    # 106 symbols of 11 modules, 3 bars and 3 spaces, bars of even width in total, all distinct
    assert len(PATTERNS) == 106 and len(set(PATTERNS)) == 106
    for pattern in PATTERNS:
        widths = [int(w) for w in pattern]
        assert (len(widths), sum(widths), sum(widths[0::2]) % 2) == (6, 11, 0), pattern
    assert sum(int(w) for w in STOP) == 13


def test_a_sku_is_set_b_with_its_check_symbol():
    # "AB": start B (104), A=33, B=34; check = (104 + 1*33 + 2*34) % 103 = 102
    widths = code128_widths("AB")
    expected = PATTERNS[104] + PATTERNS[33] + PATTERNS[34] + PATTERNS[102] + STOP
    assert widths == [int(w) for w in expected]
    assert sum(widths) == 11 * 4 + 13


def test_what_cannot_be_encoded_draws_nothing():
    assert code128_widths("") is None
    assert code128_widths("TÉE") is None
    assert str(barcode_svg("x" * 41)) == ""
    svg = str(barcode_svg("TEE-<1>"))
    assert svg.startswith('<svg class="st-code128" role="img" aria-label="barcode TEE-&lt;1&gt;"')
    assert svg.count("<rect") == 9 * 3 + 4  # start, 7 characters, check: 3 bars each; stop 4
