"""Test suite of the portals crawler."""
