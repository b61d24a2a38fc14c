"""Widgets only: they show what the controller announces and forward what the user does."""
