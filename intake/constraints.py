"""Database constraints that only PostgreSQL can hold.

An exclusion constraint is how PostgreSQL guarantees that no two active
appointments of one clinician overlap, even when twenty requests race for the
same time. SQLite has no such constraint: there the booking code serialises
writes in an IMMEDIATE transaction and checks for overlaps inside it. Declaring
the constraint in `Meta.constraints` keeps it next to the model and in the
migration history on both databases; on SQLite it simply emits no DDL.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Func


class TsTzRange(Func):
    """`tstzrange(start, end, '[)')`: half-open, so back-to-back ranges do not overlap."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class PostgresExclusionConstraint(ExclusionConstraint):
    """An ExclusionConstraint that is skipped on databases other than PostgreSQL."""

    def constraint_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().constraint_sql(model, schema_editor)

    def create_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().create_sql(model, schema_editor)

    def remove_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().remove_sql(model, schema_editor)

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        # The range operators only exist on PostgreSQL; elsewhere the model's
        # clean() runs the same overlap check in portable SQL.
        if connections[using].vendor != "postgresql":
            return
        super().validate(model, instance, exclude=exclude, using=using)
