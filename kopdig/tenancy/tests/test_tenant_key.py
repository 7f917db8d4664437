"""The tenant key, read from PostgreSQL's catalog (architecture §4, kopdig.lib.migrations):

- a table whose rows point at a tenant table carries ``cooperative_id`` itself (child rows too);
- every foreign key between two tenant tables is backed by a composite foreign key
  ``(cooperative_id, x_id) → (cooperative_id, id)`` (``TenantForeignKey`` in a migration);
- every unique constraint of a tenant table includes ``cooperative_id`` (listed exceptions only).
A tenant table is one with a ``cooperative_id`` column referencing ``tenancy_cooperative``,
unless it is a Dinas table keyed by kabupaten (a NOT NULL ``kabupaten_id``: programmes, the
business network), whose ``cooperative_id`` is an optional reference to one cooperative. Such a
table's foreign keys to tenant tables are backed by the composite key all the same (a row that
names a cooperative points only at that cooperative's rows; a row without one is not checked).
SQLite is exempt (no composite foreign keys are added there).
"""

import pytest
from django.db import connection

# (table, column): why a single-column unique is right there.
UNIQUE_EXCEPTIONS = {
    (
        "members_member",
        "user_id",
    ): "a login is the member of one cooperative (auth_user is not a tenant table)",
    ("dinas_invitation", "token_hash"): "a secret's hash, looked up before the cooperative is known",
}

TENANT_TABLES = """
SELECT c.conrelid::regclass::text FROM pg_constraint c
  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
 WHERE c.contype = 'f' AND c.confrelid = 'tenancy_cooperative'::regclass AND a.attname = 'cooperative_id'
   AND cardinality(c.conkey) = 1
"""

KABUPATEN_TABLES = """
SELECT table_name FROM information_schema.columns
 WHERE table_schema = current_schema() AND column_name = 'kabupaten_id' AND is_nullable = 'NO'
"""

FOREIGN_KEYS = """
SELECT c.conrelid::regclass::text, c.confrelid::regclass::text,
       array(SELECT attname FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
             JOIN pg_attribute ON attrelid = c.conrelid AND attnum = k.n ORDER BY k.i),
       array(SELECT attname FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
             JOIN pg_attribute ON attrelid = c.confrelid AND attnum = k.n ORDER BY k.i)
  FROM pg_constraint c JOIN pg_namespace ns ON ns.oid = c.connamespace
 WHERE c.contype = 'f' AND ns.nspname = current_schema()
"""

UNIQUES = """
SELECT i.indrelid::regclass::text, pg_get_indexdef(i.indexrelid),
       array(SELECT attname FROM unnest(i.indkey) k(n) JOIN pg_attribute ON attrelid = i.indrelid AND attnum = k.n)
  FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace
 WHERE i.indisunique AND NOT i.indisprimary AND ns.nspname = current_schema()
"""


def tenant_key_problems() -> list[str]:
    """Every breach of the tenant key in the current schema, as sentences."""
    with connection.cursor() as cur:
        cur.execute(TENANT_TABLES)
        with_coop = {r[0] for r in cur.fetchall()}
        cur.execute(KABUPATEN_TABLES)
        tenant = with_coop - {r[0] for r in cur.fetchall()}
        cur.execute(FOREIGN_KEYS)
        fks = cur.fetchall()
        cur.execute(UNIQUES)
        uniques = cur.fetchall()
    problems = []
    composite = {(src, tgt, tuple(cols), tuple(ref)) for src, tgt, cols, ref in fks if len(cols) == 2}
    for src, tgt, cols, _ref in fks:
        if tgt not in tenant or len(cols) != 1:
            continue
        if src not in with_coop:
            problems.append(f"{src}.{cols[0]} points at tenant table {tgt} but {src} has no cooperative_id")
        elif (src, tgt, ("cooperative_id", cols[0]), ("cooperative_id", "id")) not in composite:
            problems.append(
                f"{src}.{cols[0]} -> {tgt} has no composite (cooperative_id, {cols[0]}) foreign key"
            )
    for table, definition, cols in uniques:
        if table in tenant and "cooperative_id" not in cols and (table, cols[0]) not in UNIQUE_EXCEPTIONS:
            problems.append(f"unique without cooperative_id: {definition}")
    return problems


@pytest.fixture
def pg(db):
    if connection.vendor != "postgresql":
        pytest.skip("the composite tenant keys exist on PostgreSQL only")


def test_every_tenant_table_and_foreign_key_carries_the_tenant_key(pg):
    assert tenant_key_problems() == []


def test_the_catalog_check_finds_each_breach(pg):
    """A table added without the rule is caught (inside the test's transaction, rolled back)."""
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TABLE kopdig_bad_child (id bigserial PRIMARY KEY,"
            " account_id bigint REFERENCES ledger_account (id))"
        )
        cur.execute(
            "CREATE TABLE kopdig_bad_tenant (id bigserial PRIMARY KEY,"
            " cooperative_id bigint REFERENCES tenancy_cooperative (id),"
            " entry_id bigint REFERENCES ledger_journalentry (id), code text UNIQUE)"
        )
    assert sorted(tenant_key_problems()) == [
        "kopdig_bad_child.account_id points at tenant table ledger_account but kopdig_bad_child has no cooperative_id",
        "kopdig_bad_tenant.entry_id -> ledger_journalentry has no composite (cooperative_id, entry_id) foreign key",
        "unique without cooperative_id: CREATE UNIQUE INDEX kopdig_bad_tenant_code_key ON public.kopdig_bad_tenant "
        "USING btree (code)",
    ]


def test_a_kabupaten_table_is_no_tenant_table_but_its_cooperative_references_are_checked(pg):
    """A Dinas table (NOT NULL kabupaten_id) may be pointed at without cooperative_id and its
    uniques are keyed by kabupaten; its own foreign key to a tenant table needs the composite."""
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TABLE kopdig_dinas_list (id bigserial PRIMARY KEY,"
            " kabupaten_id bigint NOT NULL REFERENCES tenancy_region (id),"
            " cooperative_id bigint REFERENCES tenancy_cooperative (id),"
            " member_id bigint REFERENCES members_member (id), code text UNIQUE)"
        )
        cur.execute(
            "CREATE TABLE kopdig_dinas_child (id bigserial PRIMARY KEY,"
            " kabupaten_id bigint NOT NULL REFERENCES tenancy_region (id),"
            " list_id bigint REFERENCES kopdig_dinas_list (id))"
        )
    assert tenant_key_problems() == [
        "kopdig_dinas_list.member_id -> members_member has no composite (cooperative_id, member_id) foreign key"
    ]
