"""Writes of the missions app, one module per area."""
