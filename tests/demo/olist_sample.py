"""A tiny Olist-shaped sample written to a temporary directory: the tests never need ../shared."""

from __future__ import annotations

import csv
from pathlib import Path

SELLERS = [
    ("seller-sp", "13023", "campinas", "SP"),
    ("seller-rj", "20031", "rio de janeiro", "RJ"),
]
PRODUCTS = [
    ("prod-a", "beleza_saude", "225", "16"),
    ("prod-b", "informatica_acessorios", "1000", "30"),
    ("prod-c", "", "", ""),  # Olist has products without category or weight
]
CUSTOMERS = [
    ("cust-1", "person-1", "20231", "rio de janeiro", "RJ"),
    ("cust-2", "person-2", "9121", "santo andre", "SP"),
    ("cust-3", "person-1", "20231", "rio de janeiro", "RJ"),  # person-1 again
]
# order id, customer id, status, purchase timestamp
ORDERS = [
    ("order-2", "cust-2", "delivered", "2018-01-20 12:15:57"),
    ("order-1", "cust-1", "delivered", "2017-06-12 20:07:44"),
    ("order-3", "cust-3", "canceled", "2018-03-01 09:00:00"),
    ("order-4", "cust-2", "unavailable", "2018-04-02 10:30:00"),
]
# order id, item seq, product, seller, price, freight
ITEMS = [
    ("order-1", "1", "prod-a", "seller-sp", "35.9", "15.2"),
    ("order-2", "1", "prod-b", "seller-rj", "19.99", "14.1"),
    ("order-2", "2", "prod-b", "seller-rj", "19.99", "14.1"),
    ("order-2", "3", "prod-c", "seller-sp", "120", "0"),
    ("order-3", "1", "prod-a", "seller-sp", "35.9", "12.5"),
    ("order-4", "1", "prod-c", "seller-sp", "120", "8.75"),
]


def _write(path: Path, header: list[str], rows: list[tuple]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def olist_sample_write(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    _write(
        directory / "olist_sellers_dataset.csv",
        ["seller_id", "seller_zip_code_prefix", "seller_city", "seller_state"],
        SELLERS,
    )
    _write(
        directory / "olist_products_dataset.csv",
        ["product_id", "product_category_name", "product_weight_g", "product_length_cm"],
        PRODUCTS,
    )
    _write(
        directory / "olist_customers_dataset.csv",
        [
            "customer_id",
            "customer_unique_id",
            "customer_zip_code_prefix",
            "customer_city",
            "customer_state",
        ],
        CUSTOMERS,
    )
    _write(
        directory / "olist_orders_dataset.csv",
        ["order_id", "customer_id", "order_status", "order_purchase_timestamp"],
        ORDERS,
    )
    _write(
        directory / "olist_order_items_dataset.csv",
        ["order_id", "order_item_id", "product_id", "seller_id", "price", "freight_value"],
        ITEMS,
    )
    # The real translation file starts with a byte-order mark.
    (directory / "product_category_name_translation.csv").write_text(
        "\ufeffproduct_category_name,product_category_name_english\n"
        "beleza_saude,health_beauty\ninformatica_acessorios,computers_accessories\n",
        encoding="utf-8",
    )
    return directory
