"""Amounts in Indonesian words (terbilang), as printed on receipts.

1.001.000 -> "satu juta seribu", 111 -> "seratus sebelas". num2words says "satu ribu" where
Indonesian says "seribu", hence our own.
"""

from decimal import Decimal

from .money import q

_UNITS = [
    "",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
]
_SCALES = [(10**12, "triliun"), (10**9, "miliar"), (10**6, "juta")]


def _below_thousand(n: int) -> str:
    words = []
    if n >= 100:
        h, n = divmod(n, 100)
        words.append("seratus" if h == 1 else f"{_UNITS[h]} ratus")
    if n >= 20:
        t, n = divmod(n, 10)
        words.append(f"{_UNITS[t]} puluh")
    if n >= 12:
        words.append(f"{_UNITS[n - 10]} belas")
    elif n > 0:
        words.append(_UNITS[n])
    return " ".join(words)


def number_words(n: int) -> str:
    """Words for a whole number ≥ 0."""
    if n < 0:
        return "minus " + number_words(-n)
    if n == 0:
        return "nol"
    words = []
    for scale, name in _SCALES:
        if n >= scale:
            head, n = divmod(n, scale)
            words.append(f"{number_words(head)} {name}")
    if n >= 1000:
        head, n = divmod(n, 1000)
        words.append("seribu" if head == 1 else f"{_below_thousand(head)} ribu")
    if n:
        words.append(_below_thousand(n))
    return " ".join(words)


def terbilang(amount, currency: bool = True) -> str:
    """Rupiah amount in words: 1234567.50 -> "satu juta ... enam puluh tujuh rupiah lima puluh sen"."""
    amount = q(amount)
    negative = amount < 0
    amount = abs(amount)
    rupiah = int(amount)
    sen = int((amount - Decimal(rupiah)) * 100)
    text = number_words(rupiah)
    if currency:
        text += " rupiah"
        if sen:
            text += f" {number_words(sen)} sen"
    elif sen:
        text += f" koma {number_words(sen)}"
    return ("minus " + text) if negative else text
