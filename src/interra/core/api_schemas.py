"""Shapes shared by every router of the JSON API (config/api.py answers errors this way)."""

from ninja import Schema


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """Every refusal: one translated sentence, a stable code, and for 422 each field's
    own complaint."""

    detail: str
    code: str = ""
    errors: list[FieldErrorOut] = []


# What any operation that reads input may answer besides its success.
INPUT_ERRORS = {400: ErrorOut, 422: ErrorOut}
