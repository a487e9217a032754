"""The Code 128 barcodes the store screen draws for SKUs."""

from __future__ import annotations

from ordino.console.store.barcode import QUIET, barcode_svg, code128_modules

START_B, A, B, CHECK_102, STOP = (
    "11010010000",
    "10100011000",
    "10001011000",
    "11110101110",
    "1100011101011",
)


def test_a_sku_is_encoded_with_its_check_symbol():
    # given "AB": start B (104), A=33, B=34; check = (104 + 1*33 + 2*34) % 103 = 102
    # when it is encoded / then the modules are the standard table's
    assert code128_modules("AB") == START_B + A + B + CHECK_102 + STOP


def test_the_svg_draws_one_rect_per_bar_after_the_quiet_zone():
    # given "AB" (3 bars per symbol, 4 in the stop)
    svg = str(barcode_svg("AB"))
    # then
    assert svg.count("<rect") == 4 * 3 + 4
    assert f'<rect x="{QUIET}" y="0" width="2" height="1"/>' in svg  # start B opens "11"
    assert f'viewBox="0 0 {11 * 4 + 13 + 2 * QUIET} 1"' in svg


def test_what_cannot_be_encoded_draws_nothing():
    assert code128_modules("") is None
    assert code128_modules("TÉE") is None
    assert str(barcode_svg("x" * 41)) == ""
    svg = str(barcode_svg("TEE-<1>"))
    assert svg.startswith('<svg class="st-code128" role="img" aria-label="barcode TEE-&lt;1&gt;"')
