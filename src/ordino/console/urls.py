"""The console's own pages, mounted under /admin/ before the admin's URLs (ordino/urls.py).
Each screen adds its paths here, its views wrapped by `pages.console_view`."""

from __future__ import annotations

from django.urls import path

from ordino.console import saved_views
from ordino.console.accounting import views as accounting
from ordino.console.cases import routing as case_routing
from ordino.console.cases import views as cases
from ordino.console.feeds import views as feeds
from ordino.console.holds.urls import urlpatterns as holds_pages
from ordino.console.integrations import views as integrations
from ordino.console.invoices import views as invoices
from ordino.console.orders import customer, views
from ordino.console.payments import credit
from ordino.console.payments import views as money
from ordino.console.people import views as people
from ordino.console.reports import views as reports
from ordino.console.returns import exchange
from ordino.console.returns import views as returns
from ordino.console.risk.urls import urlpatterns as risk_pages
from ordino.console.sourcing.urls import urlpatterns as sourcing_rules
from ordino.console.sso import views as sso
from ordino.console.store import manifests, printing
from ordino.console.store import views as store
from ordino.console.transfer import views as transfer

app_name = "console"

urlpatterns: list = [
    path("accounting/journal/", accounting.journal_page, name="accounting_journal"),
    path("cases/inbox/", cases.inbox, name="cases_inbox"),
    path("cases/new/", cases.inquiry_new, name="case_new"),
    path("cases/routing/", case_routing.routing_rules, name="case_routing"),
    path("cases/<int:case_id>/", cases.case_page, name="case"),
    path("cases/<int:case_id>/take/", cases.case_take, name="case_take"),
    path("cases/<int:case_id>/resolve/", cases.case_resolve, name="case_resolve"),
    path("cases/<int:case_id>/comment/", cases.case_comment, name="case_comment"),
    path("cases/<int:case_id>/status/", cases.case_status, name="case_status"),
    path("people/report/", people.users_report_page, name="users_report"),
    path("feeds/", feeds.feeds_page, name="feeds"),
    path("feeds/<str:code>/", feeds.feed_page, name="feed"),
    path("integrations/themes/", integrations.failure_themes, name="integration_themes"),
    path("reports/", reports.reports_page, name="reports"),
    *sourcing_rules,
    *holds_pages,
    *risk_pages,
    path("orders/<int:order_id>/", views.order_page, name="order"),
    path("orders/<int:order_id>/comment/", views.order_comment, name="order_comment"),
    path("orders/<int:order_id>/cancel/", views.order_cancel_units, name="order_cancel"),
    path("orders/<int:order_id>/address/", views.order_edit_address, name="order_address"),
    path("orders/<int:order_id>/lines/", views.order_edit_lines, name="order_lines"),
    path("invoices/<int:invoice_id>/", invoices.invoice_html_view, name="invoice_html"),
    path("invoices/<int:invoice_id>/pdf/", invoices.invoice_pdf_view, name="invoice_pdf"),
    path("invoices/<int:invoice_id>/resend/", invoices.invoice_resend, name="invoice_resend"),
    path("orders/<int:order_id>/refund/", money.order_refund, name="order_refund"),
    path(
        "orders/<int:order_id>/refunds/<int:refund_id>/resend/",
        money.refund_resend_view,
        name="refund_resend",
    ),
    path(
        "orders/<int:order_id>/payments/<int:payment_id>/retry/",
        money.payment_retry_view,
        name="payment_retry",
    ),
    path(
        "orders/<int:order_id>/payments/<int:payment_id>/capture/",
        money.payment_capture_view,
        name="payment_capture",
    ),
    path("customers/<int:customer_id>/", customer.customer_page, name="customer"),
    path(
        "customers/<int:customer_id>/store-credit/",
        credit.customer_credit_give,
        name="customer_credit_give",
    ),
    path("store/", store.store_queue, name="store"),
    path("store/pick-list/", printing.pick_list, name="store_pick_list"),
    path("store/fo/<int:fo_id>/", store.store_fo, name="store_fo"),
    path("store/fo/<int:fo_id>/packing-slip/", printing.packing_slip, name="store_packing_slip"),
    path(
        "store/fo/<int:fo_id>/packing-slip.pdf",
        printing.packing_slip_pdf,
        name="store_packing_slip_pdf",
    ),
    path("store/fo/<int:fo_id>/<slug:step>/", store.store_fo_step, name="store_fo_step"),
    path(
        "store/manifests/<str:location>/<str:carrier>/<str:day>/",
        manifests.store_manifest,
        name="store_manifest",
    ),
    path(
        "store/shipments/<int:shipment_id>/labels/",
        printing.shipment_labels_view,
        name="store_shipment_labels",
    ),
    path(
        "store/shipments/<int:shipment_id>/customs/",
        printing.shipment_customs_view,
        name="store_shipment_customs",
    ),
    path("orders/<int:order_id>/returns/", returns.return_start, name="return_start"),
    path("orders/<int:order_id>/exchanges/", exchange.exchange_start, name="exchange_start"),
    path("returns/<int:return_id>/receive/", returns.return_receive, name="return_receive"),
    path("returns/<int:return_id>/label/", returns.return_label_view, name="return_label"),
    path("returns/<int:return_id>/<slug:step>/", returns.return_step, name="return_step"),
    path("returns/receive/", returns.returns_receive, name="returns_receive"),
    path(
        "returns/receive/<int:return_id>/",
        returns.returns_receive_one,
        name="returns_receive_one",
    ),
    path("sso/", sso.sso_page, name="sso"),
    path("sso/map/", sso.sso_map, name="sso_map"),
    path("sso/unmap/", sso.sso_unmap, name="sso_unmap"),
    path("transfer/imports/", transfer.imports_page, name="transfer_imports"),
    path("transfer/imports/<int:job_id>/", transfer.import_page, name="transfer_import"),
    path("transfer/mappings/", transfer.mapping_save, name="transfer_mapping_save"),
    path("transfer/reconcile/", transfer.reconcile_page, name="transfer_reconcile"),
    path("saved-views/", saved_views.saved_view_create, name="saved_view_create"),
    path(
        "saved-views/<int:view_id>/delete/",
        saved_views.saved_view_delete,
        name="saved_view_delete",
    ),
]
