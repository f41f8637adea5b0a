import json

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from civicbridge.core.uploads import json_depth_message, json_too_deep


def _refuse_constant(name):
    raise ValueError(f"{name} is not a number JSON allows")


def _finite_float(text):
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError("number out of range")
    return value


class StrictJSONParser(JSONParser):
    """JSON as the standard defines it: no NaN or Infinity, no number that overflows a float.

    Nested at most ``CIVICBRIDGE_JSON_MAX_DEPTH`` levels: checked before parsing, because the
    parser recurses per level and a deep document would end in RecursionError (a 500).
    """

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", "utf-8")
        try:
            text = stream.read().decode(encoding)
        except UnicodeDecodeError as error:
            raise ParseError(f"JSON parse error - {error}") from error
        max_depth = settings.CIVICBRIDGE_JSON_MAX_DEPTH
        if json_too_deep(text, max_depth):
            raise ParseError(json_depth_message(max_depth))
        try:
            return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
        except (ValueError, RecursionError) as error:
            raise ParseError(f"JSON parse error - {error}") from error
