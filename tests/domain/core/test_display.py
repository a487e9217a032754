from decimal import Decimal

from ordino.core.domain.display import address_lines, money_display, status_word


def test_money_reads_with_the_symbol_and_exactly_the_minor_unit():
    assert money_display(Decimal("1234.5"), "EUR") == "€1,234.50"
    assert money_display(Decimal("0.105"), "KWD") == "0.105 KWD"
    assert money_display(Decimal("1500"), "JPY") == "¥1,500"
    assert money_display(Decimal("-5"), "USD") == "−$5.00"
    assert money_display(Decimal("99999999999999.99"), "EUR") == "€99,999,999,999,999.99"
    assert money_display(None, "EUR") == "—"


def test_codes_read_as_words():
    assert status_word("picked_up") == "Picked up"
    assert status_word("ready_for_pickup") == "Ready for pickup"
    assert status_word("backordered") == "On backorder"
    assert status_word("") == "—"


def test_an_address_reads_as_the_lines_of_a_label():
    address = {"name": "Ana", "line1": "12 rue de la République", "postal_code": "75011",
               "city": "Paris", "country": "FR", "line2": ""}  # fmt: skip
    assert address_lines(address) == ["Ana", "12 rue de la République", "75011 Paris", "FR"]
    assert address_lines(None) == []
