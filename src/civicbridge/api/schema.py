"""The error answers every API operation may give, written into the OpenAPI document.

drf-spectacular documents the success answers it can see in the views; the errors come from
layers it does not look at (authentication, throttling, the parser, the exception handler,
the database's constraints). A client, and schemathesis, must find each status code it can
receive in the document, with the shape of its body.
"""

from django_filters.utils import get_model_field, label_for_filter
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from civicbridge.core.filters import FindFilter
from civicbridge.core.validators import TextValidator

ERROR = {
    "type": "object",
    "description": "An error: one message in the request's language.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# A refused input: messages per field (a list, or an object for nested fields and lists of
# objects), or one "detail" when the body could not be parsed at all.
INVALID = {
    "type": "object",
    "description": "Messages per field, or a 'detail' when the body is not readable.",
    "additionalProperties": {},
}


def doc_excludes() -> list:
    """drf-spectacular's ``GET_LIB_DOC_EXCLUDES``: the classes whose docstrings describe nothing
    in the document. It describes a serializer or an operation by the first docstring along its
    class's bases: the project's shared bases explain the code (how a serializer's fields are
    built; that ``create`` answers a repeat with 200), and described every serializer and
    operation without a docstring of its own, a list's GET among them."""
    from drf_spectacular.plumbing import get_lib_doc_excludes

    from civicbridge.core.api_duplicates import RepeatAwareCreateMixin
    from civicbridge.core.serializers import FieldsBuiltOnce, ModelSerializer

    return [*get_lib_doc_excludes(), FieldsBuiltOnce, ModelSerializer, RepeatAwareCreateMixin]


_BODY_METHODS = {"post", "put", "patch"}
_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def _response(description: str, component: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }


def _errors_for(path: str, method: str, operation: dict) -> dict:
    errors = {
        "400": _response("The query or the body was refused; the answer says why.", "InvalidRequest"),
        "401": _response("The credentials given are not valid (or none were given where they are needed).", "Error"),
        "403": _response("The signed-in user may not do this.", "Error"),
        # Also a page number past the last page of a list.
        "404": _response("No such object for this user, or no such page.", "Error"),
        "406": _response("None of the accepted media types can be produced.", "Error"),
        "429": _response("Too many requests; the Retry-After header says when to try again.", "Error"),
    }
    if method in _BODY_METHODS or operation.get("requestBody"):
        errors |= {
            "409": _response("The request conflicts with the current state (for example, a duplicate).", "Error"),
            "413": _response("The request body is too large.", "Error"),
            "415": _response("The body's media type is not JSON, a form or multipart.", "Error"),
        }
    return errors


def document_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: add the error answers to every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("InvalidRequest", INVALID)
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in _METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status, response in _errors_for(path, method, operation).items():
                responses.setdefault(status, response)
    return result


# Where a client finds a valid value for a reference in a request body: the first item of a
# list it can read. Written as OpenAPI links, so that clients (and schemathesis' stateful
# phase) can chain "read a list, then create with what it holds".
REFERENCE_SOURCES = {
    "territory": ("/api/v1/territories/", "$response.body#/results/0/id"),
    "funder": ("/api/v1/funders/", "$response.body#/results/0/id"),
    "programme": ("/api/v1/funders/", "$response.body#/results/0/programmes/0/id"),
    "public_body": ("/api/v1/plenipotentiaries/", "$response.body#/results/0/public_body"),
    "organization": ("/api/v1/organizations/", "$response.body#/results/0/id"),
}


def _body_properties(result: dict, operation: dict) -> set[str]:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    reference = content.get("schema", {}).get("$ref", "")
    component = result.get("components", {}).get("schemas", {}).get(reference.rsplit("/", 1)[-1], {})
    return set(component.get("properties", {}))


def link_references_to_their_lists(result, generator, request, public):
    """drf-spectacular post-processing hook: links from the lists to the creations that cite them."""
    paths = result.get("paths", {})
    for path, item in paths.items():
        operation = item.get("post")
        if operation is None or "{" in path or not operation.get("operationId"):
            continue
        for field in sorted(_body_properties(result, operation) & set(REFERENCE_SOURCES)):
            source_path, expression = REFERENCE_SOURCES[field]
            source = paths.get(source_path, {}).get("get")
            if source is None:
                continue
            links = source["responses"].setdefault("200", {}).setdefault("links", {})
            links[f"{operation['operationId']}_{field}"] = {
                "operationId": operation["operationId"],
                "requestBody": {field: expression},
                "description": f"The {field} of a new item, from this list.",
            }
    return result


# --- Field constraints the validators enforce, written into the document ---------------------
# drf-spectacular reads Django's own validators (lengths, bounds, regular expressions); the
# project's text rule and the decimal strings' real shape it cannot see.


def _below(limit: str) -> str:
    """A regular expression for the whole numbers below ``limit`` (its decimal digits)."""
    choices = [rf"\d{{1,{len(limit) - 1}}}"] if len(limit) > 1 else []
    for position, digit in enumerate(limit):
        if digit == "0":
            continue
        rest = len(limit) - position - 1
        lower = "0" if digit == "1" else f"[0-{int(digit) - 1}]"
        choices.append(limit[:position] + lower + (rf"\d{{{rest}}}" if rest else ""))
    return "|".join(choices)


def decimal_pattern(field) -> str:
    """What a ``DecimalField`` given as a string accepts: digits, and its bounds where they are simple."""
    places = field.decimal_places
    fraction = rf"(?:\.\d{{0,{places}}})?" if places else ""
    low, high = field.min_value, field.max_value
    sign = "" if low is not None and low >= 0 else "-?"
    if high is not None and high > 0 and high == int(high) and (low is None or low >= 0 or low == -high):
        limit = str(int(high))
        zeros = rf"(?:\.0{{0,{places}}})?" if places else ""
        number = f"(?:(?:{_below(limit)}){fraction}|{limit}{zeros})"
    else:
        number = rf"\d{{1,{field.max_whole_digits}}}{fraction}"
    return f"^{sign}{number}$"


class DecimalStringExtension(OpenApiSerializerFieldExtension):
    """A decimal as a string: at least one digit (not "", "." or "-"), a sign only if it may be negative."""

    target_class = serializers.DecimalField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if schema.get("format") == "decimal" and "pattern" in schema and not self.target.localize:
            schema["pattern"] = decimal_pattern(self.target)
        return schema


class TextFieldExtension(OpenApiSerializerFieldExtension):
    """Text the project's text rule applies to: no control character (no line break in one line)."""

    target_class = serializers.CharField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        rules = [validator for validator in self.target.validators if isinstance(validator, TextValidator)]
        # Said of what a client sends; answers hold what was accepted, or cleaned when stored.
        free = not {"pattern", "format", "enum"} & set(schema)
        if direction == "request" and rules and schema.get("type") == "string" and free:
            pattern = rules[0].pattern
            if getattr(self.target, "allow_blank", False):
                # drf-spectacular offers the empty string as its own choice (oneOf): one only.
                pattern = pattern.removesuffix("*$") + "+$"
            schema["pattern"] = pattern
        return schema


class DescribedFilterExtension(DjangoFilterExtension):
    """The lists' filters as drf-spectacular's own extension draws them, each described by its
    filter's help text or label, as it describes the others, where a type given by hand left it
    undescribed (``extend_schema_field`` on a filter or its method: a territory's or a body's
    code, not the id its model field suggests): 22 of the lists' filters, every territory filter
    among them, had no description at all."""

    priority = 1  # before drf-spectacular's own

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        text = self._description(model, filter_field)
        for parameter in parameters:
            if text and not parameter.get("description"):
                parameter["description"] = str(text)
        return parameters

    @staticmethod
    def _description(model, filter_field):
        if isinstance(filter_field, FindFilter):
            # Its help text tells a person how to use the page's suggestions; its label names
            # what it finds (by id, address name, or a name or part of one).
            return filter_field.label
        text = filter_field.extra.get("help_text") or filter_field.label
        if text:
            return text
        # A filter named in a filter set's Meta is labelled once bound: as its model field.
        if get_model_field(model, filter_field.field_name) is None:
            return None  # a filter method's name, no field's: the test of the document says so
        return label_for_filter(model, filter_field.field_name, filter_field.lookup_expr, filter_field.exclude)
