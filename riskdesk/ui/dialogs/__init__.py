"""Dialogs: each named after what the user sees, wiring its widgets to services."""
