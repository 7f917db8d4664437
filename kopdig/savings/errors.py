"""The savings app's domain errors (messages in Indonesian)."""

from kopdig.lib.errors import DomainError


class SavingsError(DomainError):
    pass


class InsufficientBalance(SavingsError):
    pass


class LockedSavings(SavingsError):
    pass
