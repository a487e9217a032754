"""Cases: one inbox of everything that needs a person (docs/cases.md). A case has a type, a
priority, an owner (a person or a team), a status, links to its order, customer, payment or
fulfillment order, an SLA clock on its team's business calendar and an escalation ladder."""
