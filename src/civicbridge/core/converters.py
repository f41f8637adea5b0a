"""Path converters for addresses that carry stored text."""


class StoredTextConverter:
    """Like ``str`` (anything but a slash), and never a NUL.

    A NUL cannot be in any stored value (PostgreSQL refuses it even in a lookup, with a
    server error), so an address holding one names nothing: it is a 404 before any query.
    """

    regex = "[^/\x00]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
