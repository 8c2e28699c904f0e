"""Who may see or do what in governance, in one place.

Associates take part (discuss, position, vote, give proxies); coordinators also steer and
facilitate (examine objections) even when they are not associates. Everyone, signed in or
not, reads the public decision log.
"""

from __future__ import annotations

from typing import Any

from guichet.accounts.access import has_role, is_coordinator
from guichet.accounts.models import Role


def is_associate(user: Any) -> bool:
    """An active associate: takes positions, gives and holds proxies, stands in elections."""
    return bool(getattr(user, "is_active", False)) and has_role(user, Role.ASSOCIATE)


def can_take_part(user: Any) -> bool:
    """Reads the proposals' private pages (thread, positions under way, proxies), writes
    in the discussion, and opens proposals: any associate, and the coordinators, who open
    those the procedures need (an admission, a charter change)."""
    return is_associate(user) or is_coordinator(user)


def can_facilitate(user: Any) -> bool:
    return is_coordinator(user)
