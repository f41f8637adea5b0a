"""Path converters for addresses that carry stored text."""


class StoredTextConverter:
    """Like ``str`` (anything but a slash); an address holding a NUL names nothing (404).

    A NUL cannot be in any stored value (PostgreSQL refuses it, even in a lookup, with a
    server error), so such an address is refused before any query. Addresses are still
    built for every value (``reverse`` never fails on an old row).
    """

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        if "\x00" in value:
            raise ValueError("a NUL names no stored value")
        return value

    def to_url(self, value: str) -> str:
        return value
