"""``field__any=[...]``: membership in a long list of values, as one parameter on PostgreSQL.

``field__in=[...]`` writes one placeholder per value. With a thousand values the
statement is too long for psycopg's statement cache, so psycopg parses it again on
every execution (milliseconds each, thousands of times in a digest run). ``__any``
sends the list as one array (``= ANY(%s)``) on PostgreSQL, and is ``IN`` elsewhere.

Ids (any integer field) given as a set are not walked value by value: Django resolves and
prepares each value of a list three times, and psycopg dumps an array value by value; for
the 4,000 ids partner matching sends, that was a tenth of its page. They are made whole
numbers in one pass and sent as the array's text.
"""

from django.db.models import Field, IntegerField
from django.db.models.lookups import In

COLLECTIONS = (list, tuple, set, frozenset)


@Field.register_lookup
class AnyOf(In):
    lookup_name = "any"

    def _of_integers(self) -> bool:
        return isinstance(self.rhs, COLLECTIONS) and isinstance(getattr(self.lhs, "output_field", None), IntegerField)

    def get_prep_lookup(self):
        if self._of_integers():
            # A value that is not a whole number raises here, as Django's own preparation would.
            return [int(value) for value in self.rhs if value is not None]
        return super().get_prep_lookup()

    def as_postgresql(self, compiler, connection):
        if not isinstance(self.rhs, COLLECTIONS):
            return super().as_sql(compiler, connection)  # a subquery: IN (SELECT …)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if self._of_integers():
            return f"{lhs} = ANY(%s::bigint[])", (*lhs_params, "{" + ",".join(map(str, self.rhs)) + "}")
        values = [self.lhs.output_field.get_db_prep_value(value, connection) for value in self.rhs]
        return f"{lhs} = ANY(%s)", (*lhs_params, values)
