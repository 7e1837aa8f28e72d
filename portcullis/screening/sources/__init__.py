"""Pure parsers for published sanctions and PEP lists; no Django.

from portcullis.screening.sources import SOURCES, SourceFormatError
entities = SOURCES["un-sc"]().load(path)   # list[Entity], or SourceFormatError
"""

from .base import ListSource, SourceFormatError
from .ftm import FtmJsonSource
from .ofsi_csv import OfsiLegacyCsvSource
from .uk_xml import UkSanctionsListXmlSource
from .un_xml import UnConsolidatedXmlSource

SOURCES: dict[str, type[ListSource]] = {
    source.key: source
    for source in (
        FtmJsonSource,
        UnConsolidatedXmlSource,
        UkSanctionsListXmlSource,
        OfsiLegacyCsvSource,
    )
}

__all__ = [
    "SOURCES",
    "FtmJsonSource",
    "ListSource",
    "OfsiLegacyCsvSource",
    "SourceFormatError",
    "UkSanctionsListXmlSource",
    "UnConsolidatedXmlSource",
]
