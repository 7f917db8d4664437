"""Migration operations for the tenant key (architecture §4): composite foreign keys on PostgreSQL.

Every tenant-owned table carries ``cooperative_id``. Django 5.2 has no composite foreign keys,
so a foreign key between two tenant tables is backed on PostgreSQL by a second, composite
constraint that includes the cooperative:

    (cooperative_id, account_id) REFERENCES ledger_account (cooperative_id, id)

which makes a row of one cooperative pointing at another cooperative's row impossible, and is
what a later distribution by cooperative (Citus) needs. Add one operation per foreign key in
the migration that creates it (or a later one)::

    from kopdig.lib.migrations import TenantForeignKey

    operations = [..., TenantForeignKey("journalline", "account")]

``TenantForeignKey`` also adds ``UNIQUE (cooperative_id, id)`` on the target table when it is
missing (the key a composite foreign key references; PostgreSQL needs it immediate). The
foreign key is ``DEFERRABLE INITIALLY DEFERRED`` like Django's own. On SQLite the operation
does nothing.
The catalog test ``kopdig/tenancy/tests/test_tenant_key.py`` fails on a tenant → tenant
foreign key without its composite constraint.
"""

from __future__ import annotations

import hashlib

from django.db.migrations.operations.base import Operation

TENANT_COLUMN = "cooperative_id"


def constraint_name(table: str, suffix: str) -> str:
    """``<table>_<suffix>`` cut to PostgreSQL's 63 characters (a hash keeps it unique)."""
    name = f"{table}_{suffix}"
    if len(name) <= 63:
        return name
    digest = hashlib.sha1(name.encode()).hexdigest()[:8]
    return f"{name[:54]}_{digest}"


def tenant_unique_sql(table: str) -> str:
    """``UNIQUE (cooperative_id, id)`` on ``table`` unless it is there already."""
    name = constraint_name(table, "coop_key")
    return (
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = '{name}') THEN "
        f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" UNIQUE ("{TENANT_COLUMN}", "id"); '
        "END IF; END $$"
    )


def tenant_fk_sql(table: str, column: str, target: str) -> str:
    name = constraint_name(table, f"{column}_coop_fk")
    return (
        f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" FOREIGN KEY ("{TENANT_COLUMN}", "{column}") '
        f'REFERENCES "{target}" ("{TENANT_COLUMN}", "id") DEFERRABLE INITIALLY DEFERRED'
    )


class TenantForeignKey(Operation):
    """Back ``model_name.field_name`` (a foreign key to another tenant table) by a composite
    foreign key that includes ``cooperative_id`` (PostgreSQL only; see the module docstring)."""

    reduces_to_sql = False
    reversible = True

    def __init__(self, model_name: str, field_name: str):
        self.model_name = model_name
        self.field_name = field_name

    def deconstruct(self):
        return ("kopdig.lib.migrations.TenantForeignKey", [self.model_name, self.field_name], {})

    def state_forwards(self, app_label, state):
        pass  # database only: Django's model state keeps its single-column foreign key

    def _tables(self, app_label, state):
        model = state.apps.get_model(app_label, self.model_name)
        field = model._meta.get_field(self.field_name)
        return model._meta.db_table, field.column, field.related_model._meta.db_table

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table, column, target = self._tables(app_label, to_state)
        schema_editor.execute(tenant_unique_sql(target))
        schema_editor.execute(tenant_fk_sql(table, column, target))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table, column, _target = self._tables(app_label, from_state)
        name = constraint_name(table, f"{column}_coop_fk")
        schema_editor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT IF EXISTS "{name}"')

    def describe(self):
        return f"Composite tenant foreign key on {self.model_name}.{self.field_name}"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name}_{self.field_name}_tenant_fk"


class TenantUnique(Operation):
    """Replace a one-to-one field's single-column UNIQUE by ``UNIQUE (cooperative_id, column)``
    on PostgreSQL (with the composite foreign key the two are equivalent; the tenant key is in
    every unique constraint). Django's state keeps the one-to-one field."""

    reduces_to_sql = False
    reversible = True

    def __init__(self, model_name: str, field_name: str):
        self.model_name = model_name
        self.field_name = field_name

    def deconstruct(self):
        return ("kopdig.lib.migrations.TenantUnique", [self.model_name, self.field_name], {})

    def state_forwards(self, app_label, state):
        pass

    def _table(self, app_label, state):
        model = state.apps.get_model(app_label, self.model_name)
        return model._meta.db_table, model._meta.get_field(self.field_name).column

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table, column = self._table(app_label, to_state)
        schema_editor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT IF EXISTS "{table}_{column}_key"')
        name = constraint_name(table, f"{column}_coop_uniq")
        schema_editor.execute(
            f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" UNIQUE ("{TENANT_COLUMN}", "{column}")'
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table, column = self._table(app_label, from_state)
        schema_editor.execute(
            f'ALTER TABLE "{table}" DROP CONSTRAINT IF EXISTS "{constraint_name(table, f"{column}_coop_uniq")}"'
        )
        schema_editor.execute(
            f'ALTER TABLE "{table}" ADD CONSTRAINT "{table}_{column}_key" UNIQUE ("{column}")'
        )

    def describe(self):
        return f"Tenant unique on {self.model_name}.{self.field_name}"
