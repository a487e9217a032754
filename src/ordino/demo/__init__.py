"""Demo data: a seeded synthetic retailer and the Olist replay, written through the services."""
