"""`make bench` prints figures and never fails on time (targets are read, not asserted)."""
