"""Field ids of their own for forms that share a page."""

from __future__ import annotations

from typing import Any


class OwnFieldIds:
    """Field ids of its own for a form that shares its page with other forms.

    Django gives every form's fields the ids `id_<name>`: two forms of one page with a field
    of the same name (two "title", two "member") give two elements one id, which is invalid
    HTML and ties a label, or an error summary's link, to the wrong field. A form sets
    `field_ids` (e.g. "milestone_%s"): its ids change, not the names it posts.
    """

    field_ids = "id_%s"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", self.field_ids)
        super().__init__(*args, **kwargs)
