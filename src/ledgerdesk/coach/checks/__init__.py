"""The built-in checks; importing this package registers them by name."""

from . import accuracy, conversation, language

__all__ = ["accuracy", "conversation", "language"]
