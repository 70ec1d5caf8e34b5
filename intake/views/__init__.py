"""Intake views, one module per patient journey."""
