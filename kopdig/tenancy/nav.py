"""Navigation registry: each app registers its menu entries in AppConfig.ready().

An entry shows when the user's role in the current cooperative is in ``roles`` (cooperative
menu) or, with ``dinas=True``, in the Dinas menu. URL names in the cooperative menu take the
cooperative slug as their only argument.
"""

from dataclasses import dataclass, field

from .access import ALL_COOP, APPROVERS, BOARD, READERS, STAFF  # noqa: F401 - the role sets, re-exported


@dataclass(frozen=True)
class NavItem:
    label: object
    url_name: str
    roles: frozenset = field(default_factory=frozenset)
    dinas: bool = False
    order: int = 50


_ITEMS: list[NavItem] = []


def register(label, url_name, *, roles=(), dinas=False, order=50):
    item = NavItem(label, url_name, frozenset(roles), dinas, order)
    if item not in _ITEMS:
        _ITEMS.append(item)


def coop_items(role: str | None) -> list[NavItem]:
    return sorted((i for i in _ITEMS if not i.dinas and role in i.roles), key=lambda i: i.order)


def dinas_items() -> list[NavItem]:
    return sorted((i for i in _ITEMS if i.dinas), key=lambda i: i.order)
