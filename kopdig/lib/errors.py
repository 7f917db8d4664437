"""Typed domain errors. Their message is for the user (translated); views and the API show it."""


class DomainError(Exception):
    """A refused action. Nothing was written."""

    status = 422

    def __init__(self, message, **context):
        super().__init__(str(message))
        self.message = message
        self.context = context

    def __str__(self):
        return str(self.message)


class NotAllowed(DomainError):
    """The actor's role does not allow this action."""

    status = 403
