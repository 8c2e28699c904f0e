"""The API's error shapes, shared by every app's endpoints: a 400 lists one translated
message per field, as django-ninja's own validation does; other refusals carry one message.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from ninja import Field, Schema, Status
from ninja.errors import HttpError

from guichet.core.errors import CodedError


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


def refused(
    error: CodedError,
    message: Callable[..., str],
    *,
    field_of_code: Mapping[str, str] | None = None,
    forbidden: Collection[str] = (),
) -> Any:
    """A service's refusal as an answer: 403 for the codes that say who may act, otherwise a
    400 on the field the code concerns (the whole body when it concerns none).

    `message` is the app's `messages.error_message`: the sentence lives with the code.
    """
    text = message(error.code, **getattr(error, "params", {}))
    if error.code in forbidden:
        raise HttpError(403, text)
    field = (field_of_code or {}).get(error.code, NON_FIELD_ERRORS)
    return bad_request({field: [text]})


def validation_errors(error: ValidationError) -> dict[str, list[str]]:
    """A model's own validation (full_clean) as field → messages, for `bad_request`."""
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {NON_FIELD_ERRORS: error.messages}


def decimal_text(value: Decimal | int | str) -> str:
    """An exact amount as the API writes it: a string, so no client reads it as a float."""
    return str(value)
