"""The API's error shapes, shared by every app's endpoints: a 400 lists one translated
message per field, as django-ninja's own validation does; other refusals carry one message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from ninja import Field, Schema, Status


class ErrorItem(Schema):
    loc: list[str | int] = Field(description="Where: `body` or `query`, then the field.")
    msg: str = Field(description="What is wrong, in the language asked (Accept-Language).")
    type: str


class Errors(Schema):
    detail: list[ErrorItem]


class Message(Schema):
    detail: str = Field(description="What happened, in the language asked (Accept-Language).")


def bad_request(errors: Mapping[str, Iterable[Any]], where: str = "body") -> Any:
    """A 400 in django-ninja's error shape, one translated message per field."""
    return Status(
        400,
        {
            "detail": [
                {
                    "loc": [where] if key == NON_FIELD_ERRORS else [where, key],
                    "msg": str(message),
                    "type": "value_error",
                }
                for key, messages in errors.items()
                for message in messages
            ]
        },
    )
