"""The loans app's domain errors (messages in Indonesian)."""

from kopdig.lib.errors import DomainError


class LoanError(DomainError):
    pass


class Overpayment(LoanError):
    pass
