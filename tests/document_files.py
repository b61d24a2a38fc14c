"""Real documents for the document library's tests, written by real writers.

PDFs come from Qt's own PDF writer (text drawn with QPainter, so PDFium reads a real text
layer; a "scan" is a page that holds only a picture of text); DOCX files from python-docx.
Spanish and English, with a sentinel word that must never reach the disk unencrypted.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import docx
from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

SENTINEL = "Zorblaxina"  # a drug that does not exist: found on disk, it leaked

# Each page carries the protocol's running header, as printed protocols do.
HEADER = "Protocolo de profilaxis antibiótica quirúrgica. Hospital General.\n"
PROTOCOL_PAGES = (
    HEADER + "Ámbito: cirugía programada del adulto. Responsable: Servicio de Medicina"
    " Preventiva. Revisión: enero de 2026.",
    HEADER + "Colecistectomía laparoscópica: se administra cefazolina 2 g por vía intravenosa"
    " en los 60 minutos previos a la incisión. En alergia a betalactámicos, clindamicina 900 mg."
    f" En pacientes con insuficiencia renal se ajusta la dosis de {SENTINEL}.",
    HEADER + "Cirugía colorrectal: cefazolina 2 g más metronidazol 500 mg por vía"
    " intravenosa. Repetir la dosis de cefazolina si la intervención dura más de cuatro horas.",
)


def write_pdf(path: Path, pages: Sequence[str], *, scanned: bool = False) -> Path:
    """A PDF with one page per text: drawn as text, or (`scanned`) as a picture of it."""
    writer = QPdfWriter(str(path))
    writer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                    QMarginsF(20, 20, 20, 20))
    )  # fmt: skip
    writer.setResolution(150)
    painter = QPainter(writer)
    font = QFont("DejaVu Sans")
    font.setPointSize(11)
    painter.setFont(font)
    area = QRectF(0, 0, writer.width(), writer.height())
    for number, text in enumerate(pages):
        if number:
            writer.newPage()
        if scanned:
            image = QImage(writer.width(), 400, QImage.Format.Format_RGB32)
            image.fill(QColor("white"))
            picture = QPainter(image)
            picture.setFont(font)
            picture.drawText(QRectF(image.rect()), Qt.TextFlag.TextWordWrap, text)
            picture.end()
            painter.drawImage(0, 0, image)
        else:
            painter.drawText(area, Qt.TextFlag.TextWordWrap, text)
    painter.end()
    return path


def write_docx(path: Path, sections: Sequence[tuple[str, str]]) -> Path:
    """A Word file: each section a level-1 heading and one paragraph."""
    document = docx.Document()
    for heading, text in sections:
        document.add_heading(heading, level=1)
        document.add_paragraph(text)
    document.save(str(path))
    return path


ASTHMA_SECTIONS = (
    ("Acute asthma in adults", "Give salbutamol 5 mg nebulised, repeated every 15 minutes."),
    (
        "Severe attack",
        "Add ipratropium 0.5 mg and oral prednisolone 40 mg. Consider intravenous magnesium"
        " sulfate 2 g over 20 minutes when there is no response.",
    ),
)
