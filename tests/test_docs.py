"""The design is written down in the project, and whatever cites it finds what it cites.

docs/design.md holds the mechanism and ARCHITECTURE.md the layers; modules cite their
sections (``docs/design.md, "Stage 3: costs and shares"``), and the Markdown files link
each other. A renamed section or a moved file fails here rather than leaving a dead pointer.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
DESIGN = REPOSITORY / "docs" / "design.md"
MARKDOWN = [REPOSITORY / "README.md", REPOSITORY / "ARCHITECTURE.md",
            *sorted((REPOSITORY / "docs").glob("*.md"))]
CITATION = re.compile(r'docs/design\.md, "([^"]+)"')
LINK = re.compile(r"\]\(([^)\s]+)\)")


def headings(path: Path) -> list[str]:
    return [line.lstrip("#").strip() for line in path.read_text().splitlines()
            if line.startswith("#")]


def anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def test_every_section_a_module_cites_is_in_the_design() -> None:
    sections = headings(DESIGN)
    cited = {
        (path.relative_to(REPOSITORY).as_posix(), section)
        for folder in ("src", "tests", "benchmarks")
        for path in (REPOSITORY / folder).rglob("*.py")
        for section in CITATION.findall(path.read_text())
    }
    assert cited, "modules cite docs/design.md by section"
    missing = [(where, section) for where, section in cited
               if not any(heading.startswith(section) for heading in sections)]
    assert missing == []


@pytest.mark.parametrize("document", MARKDOWN, ids=lambda path: path.name)
def test_every_link_between_the_documents_leads_somewhere(document: Path) -> None:
    for target in LINK.findall(document.read_text()):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        file, _, fragment = target.partition("#")
        linked = (document.parent / file).resolve() if file else document
        assert linked.exists(), f"{document.name}: {target}"
        if fragment and linked.suffix == ".md":
            assert fragment in {anchor(h) for h in headings(linked)}, f"{document.name}: {target}"
