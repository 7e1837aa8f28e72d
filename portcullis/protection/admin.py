"""Vetting, SOS devices and exposure tiers are security data: Django admin does not show them.
The security team records them on each person's training record page (`protection/views.py`),
each change a service with a ledger row."""
