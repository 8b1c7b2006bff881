"""Shared pytest plugins (register with ``pytest_plugins = ["tests.plugins.sandbox"]``)."""
