"""Writes on the network, one module per subject; each service is atomic and audited."""
