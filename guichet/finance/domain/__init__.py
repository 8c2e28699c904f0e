"""The rules of the books, as pure functions: money, entries, the chain, allocation, the FEC."""
