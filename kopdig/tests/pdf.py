"""Read back the text of a PDF that WeasyPrint rendered (tests of the PDF documents)."""

import io

from pypdf import PdfReader


def pdf_pages(content: bytes) -> list[str]:
    """The extracted text of every page, whitespace collapsed to single spaces."""
    assert content[:4] == b"%PDF", content[:40]
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(content)).pages]


def pdf_text(content: bytes) -> str:
    """The text of the whole document as one line (pages joined by a space)."""
    return " ".join(pdf_pages(content))
