"""The network's pages, one module per subject."""
