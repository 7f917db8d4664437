"""Raw SQL for the POS hot path (benchmark ``bench/usaha``: a 5-line sale through ``sale_record``).

Building the stock rows' INSERTs and the products' UPDATE with the ORM (``bulk_create``,
``bulk_update``) cost more than running them: on SQLite the ORM path ran ~20 sales/s on the
loaded bench machine; these statements, built once per backend and cached, take that Python
time out (measured gain in the bench output and the commit). Values go through the fields'
``pre_save`` / ``get_db_prep_save`` exactly as the ORM does, so the rows written are the ORM's.
Only for models without save() overrides and pre/post_save receivers (checked: ``_orm_safe``).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import signals

_CACHE: dict = {}
_CHUNK = 40  # rows per statement (well below SQLite's bound-parameter limit)


def _fields(model):
    return [f for f in model._meta.local_concrete_fields if f is not model._meta.pk]


def _orm_safe(model) -> bool:
    return not (signals.pre_save.has_listeners(model) or signals.post_save.has_listeners(model))


def insert(objs) -> None:
    """INSERT new instances of one model in one multi-row statement (what ``bulk_create`` writes,
    without reading back primary keys)."""
    objs = list(objs)
    if not objs:
        return
    if len(objs) > _CHUNK:
        for start in range(0, len(objs), _CHUNK):
            insert(objs[start : start + _CHUNK])
        return
    model = type(objs[0])
    if not _orm_safe(model):
        model.objects.bulk_create(objs)
        return
    connection = transaction.get_connection()
    fields = _fields(model)
    key = ("insert", connection.vendor, model._meta.label, len(objs))
    sql = _CACHE.get(key)
    if sql is None:
        qn = connection.ops.quote_name
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        sql = _CACHE[key] = "INSERT INTO {} ({}) VALUES {}".format(
            qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields), ", ".join([row] * len(objs))
        )
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for obj in objs for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def update_stock(products) -> None:
    """Write the stock caches of the (locked) products: one UPDATE per product, one round trip."""
    products = list(products)
    if not products:
        return
    model = type(products[0])
    connection = transaction.get_connection()
    qty, value = model._meta.get_field("stock_qty"), model._meta.get_field("stock_value")
    key = ("stock", connection.vendor, model._meta.label)
    sql = _CACHE.get(key)
    if sql is None:
        qn = connection.ops.quote_name
        sql = _CACHE[key] = (
            f"UPDATE {qn(model._meta.db_table)} SET {qn(qty.column)} = %s, {qn(value.column)} = %s "
            f"WHERE {qn(model._meta.pk.column)} = %s"
        )
    rows = [
        (
            qty.get_db_prep_save(p.stock_qty, connection),
            value.get_db_prep_save(p.stock_value, connection),
            p.pk,
        )
        for p in products
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
