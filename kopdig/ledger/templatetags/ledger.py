"""{% load ledger %}: journal sources in words."""

from django import template

from ..sources import source_label

register = template.Library()


@register.filter
def sumber(source_type):
    return source_label(source_type)
