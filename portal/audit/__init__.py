"""Audit trail of every change made through the services."""
