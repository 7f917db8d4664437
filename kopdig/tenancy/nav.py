"""Navigation registry: each app registers its menu entries in AppConfig.ready().

An entry shows when the user's role in the current cooperative is in ``roles`` (cooperative
menu) or, with ``dinas=True``, in the Dinas menu. URL names in the cooperative menu take the
cooperative slug as their only argument.
"""

from dataclasses import dataclass, field

from .roles import ALL_COOP, APPROVERS, BOARD, READERS, STAFF  # noqa: F401 - the role sets, re-exported


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


# --- sections: the phone menu shows one entry per section, the current section's pages below ---
_SECTION_LABELS: dict[str, object] = {}


def label_section(key: str, label) -> None:
    """Name a section (a URL namespace); without a name a section takes its first item's label."""
    _SECTION_LABELS[key] = label


@dataclass(frozen=True)
class Section:
    key: str
    label: object
    first: NavItem
    items: tuple


def section_key(url_name: str) -> str:
    return url_name.split(":", 1)[0] if ":" in url_name else ""


def sections(items: list[NavItem], *, grouped: bool = True) -> list[Section]:
    """Group menu items by URL namespace (``grouped``) or keep one section per item (Dinas menu)."""
    groups: dict[str, list[NavItem]] = {}
    for item in items:
        groups.setdefault(section_key(item.url_name) if grouped else item.url_name, []).append(item)
    return [
        Section(
            key,
            _SECTION_LABELS.get(key, group[0].label) if grouped else group[0].label,
            group[0],
            tuple(group),
        )
        for key, group in groups.items()
    ]


def current_section(all_sections: list[Section], view_name: str | None) -> Section | None:
    """The section of the page being shown: the one holding the view, else the view's namespace."""
    view_name = view_name or ""
    for s in all_sections:
        if any(i.url_name == view_name for i in s.items):
            return s
    key = section_key(view_name)
    return next((s for s in all_sections if s.key == key and key), None)
