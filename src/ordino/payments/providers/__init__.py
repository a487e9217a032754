"""Payment providers: what Ordino asks a payment service to do, and what it answered
(docs/payments.md). Each provider is an adapter behind `PaymentProvider`; `provider_get(code)`
finds one by its code."""
