"""ClinicChat: a private, offline chat assistant for clinicians."""

__version__ = "0.1.0"
