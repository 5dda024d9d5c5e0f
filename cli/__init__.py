"""The ``newsroom`` command."""
