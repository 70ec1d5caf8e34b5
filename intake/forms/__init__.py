"""Intake forms, one module per patient journey; shared fields in fields.py."""
