"""The console pages of catalog, locations, channels and customers render with data."""

import pytest
from django.contrib.auth.models import User

from ordino.customers.services import customer_address_add, customer_resolve
from tests.factories import make_channel, make_kit, make_location, make_sku

pytestmark = pytest.mark.django_db

PAGES = [
    "catalog/product",
    "catalog/sku",
    "catalog/kitcomponent",
    "locations/location",
    "locations/locationgroup",
    "channels/channel",
    "customers/customer",
    "customers/customeraddress",
    "customers/customerchannelidentity",
]


@pytest.fixture
def staff_client(client):
    user = User.objects.create_superuser("admin", "admin@example.com", "pw-123456")
    client.force_login(user)
    return client


@pytest.fixture
def data():
    kit = make_kit("GIFT", [(make_sku("MUG"), 2)])
    make_location("WH-1")
    web = make_channel("web")
    ada = customer_resolve(
        channel=web,
        email="ada@example.com",
        phone=None,
        first_name="Ada",
        last_name=None,
        external_id="w-1",
        country=None,
    )
    customer_address_add(customer=ada, line1="Unter den Linden 1", city="Berlin", country="DE")
    return {"kit": kit, "customer": ada}


@pytest.mark.parametrize("page", PAGES)
def test_changelist_and_search_render(staff_client, data, page):
    # when staff open the list, search it and filter it / then every page renders
    assert staff_client.get(f"/admin/{page}/").status_code == 200
    assert staff_client.get(f"/admin/{page}/", {"q": "a"}).status_code == 200


def test_kit_change_page_shows_its_components(staff_client, data):
    resp = staff_client.get(f"/admin/catalog/sku/{data['kit'].pk}/change/")
    assert resp.status_code == 200
    assert b"MUG" in resp.content


def test_customer_change_page_shows_addresses_and_identities(staff_client, data):
    resp = staff_client.get(f"/admin/customers/customer/{data['customer'].pk}/change/")
    assert resp.status_code == 200
    assert b"Unter den Linden 1" in resp.content
    assert b"w-1" in resp.content
