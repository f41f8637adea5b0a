"""``field__any=[...]``: membership in a long list of values, as one parameter on PostgreSQL.

``field__in=[...]`` writes one placeholder per value. With a thousand values the
statement is too long for psycopg's statement cache, so psycopg parses it again on
every execution (milliseconds each, thousands of times in a digest run). ``__any``
sends the list as one array (``= ANY(%s)``) on PostgreSQL, and is ``IN`` elsewhere.
"""

from django.db.models import Field
from django.db.models.lookups import In


@Field.register_lookup
class AnyOf(In):
    lookup_name = "any"

    def as_postgresql(self, compiler, connection):
        if not isinstance(self.rhs, (list, tuple, set, frozenset)):
            return super().as_sql(compiler, connection)  # a subquery: IN (SELECT …)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [self.lhs.output_field.get_db_prep_value(value, connection) for value in self.rhs]
        return f"{lhs} = ANY(%s)", (*lhs_params, values)
