"""The guichet's pages, one module per side: the client's (intake, follow-up), the
coordinators', the members'."""
