"""Guides, articles, tools and internal process instructions."""

from guides.models.guide import GuideIndexPage, GuidePage
from guides.models.instruction import (
    InstructionAreaPage,
    InstructionAttachment,
    InstructionIndexPage,
    InternalSectionPage,
    ProcessInstructionPage,
)

__all__ = [
    "GuideIndexPage",
    "GuidePage",
    "InstructionAreaPage",
    "InstructionAttachment",
    "InstructionIndexPage",
    "InternalSectionPage",
    "ProcessInstructionPage",
]
