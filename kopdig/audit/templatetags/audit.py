"""{% load audit %}: audit rows in words (action labels, before/after as label: value)."""

from django import template

from kopdig.lib.formats import human_value

from ..labels import VALUES, action_label, key_label

register = template.Library()


@register.filter
def aksi(action):
    return action_label(action or "")


@register.filter
def perubahan(snapshot, object_type=""):
    """A before/after snapshot as [(label, value)] in words; a plain value as one pair.
    ``{{ row.after|perubahan:row.object_type }}`` names keys by the model's field names."""
    if not isinstance(snapshot, dict):
        return [("", human_value(snapshot))]
    return [
        (
            key_label(k, object_type or ""),
            str(VALUES.get(v, human_value(v))) if isinstance(v, str) else human_value(v),
        )
        for k, v in snapshot.items()
    ]
