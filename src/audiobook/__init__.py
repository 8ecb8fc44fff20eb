"""audiobook: Kazakh interview articles into podcast audio editions."""

__version__ = "0.1.0"
