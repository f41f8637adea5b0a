import json

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _refuse_constant(name):
    raise ValueError(f"{name} is not a number JSON allows")


def _finite_float(text):
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError("number out of range")
    return value


class StrictJSONParser(JSONParser):
    """JSON as the standard defines it: no NaN or Infinity, no number that overflows a float."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", "utf-8")
        try:
            return json.loads(
                stream.read().decode(encoding), parse_constant=_refuse_constant, parse_float=_finite_float
            )
        except ValueError as error:
            raise ParseError(f"JSON parse error - {error}") from error
