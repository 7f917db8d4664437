"""Home-page widgets. Apps add theirs with ``register_coop_widget`` / ``register_member_widget``
in AppConfig.ready(): a callable (cooperative, access_or_user) -> dict(title, template, context)
or None when it has nothing to show."""

_COOP_WIDGETS = []
_MEMBER_WIDGETS = []


def register_coop_widget(fn, order=50):
    if fn not in [f for _, f in _COOP_WIDGETS]:
        _COOP_WIDGETS.append((order, fn))


def register_member_widget(fn, order=50):
    if fn not in [f for _, f in _MEMBER_WIDGETS]:
        _MEMBER_WIDGETS.append((order, fn))


def _collect(widgets, *args):
    out = []
    for _, fn in sorted(widgets, key=lambda w: w[0]):
        widget = fn(*args)
        if widget:
            out.append(widget)
    return out


def coop_dashboard(cooperative, access):
    return _collect(_COOP_WIDGETS, cooperative, access)


def member_dashboard(cooperative, user):
    return _collect(_MEMBER_WIDGETS, cooperative, user)
