"""Dialogs and wizards of the main window."""
