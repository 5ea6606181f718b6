"""Declaration sections: paragraphs are squashed and joined per participant, footnote markers
kept only from paragraphs that have text (pins the importer's batched fast path)."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from treatydesk.status.model import DeclarationSection
from treatydesk.untc.mtdsg import parse_status_xml
from treatydesk.untc.paragraphs import clean_paragraph

WHEN = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)

_HEAD = (
    "<TreatyChapterContent><Treaty><Header><Chapter>CHAPTER XVIII</Chapter><ExternalData>"
    "<Titlesect>16. T</Titlesect></ExternalData></Header><Participants><Table><TGroup>"
    "<Thead><Row><Entry>Participant</Entry><Entry>Signature</Entry>"
    "<Entry>Ratification, Accession(a)</Entry></Row></Thead><Tbody><Rows>"
    "<Row><Entry>France<superscript>4</superscript></Entry><Entry>1 Jan 2020</Entry>"
    "<Entry></Entry></Row>"
    "<Row><Entry>Germany</Entry><Entry>1 Jan 2020</Entry><Entry>2 Feb 2021 a</Entry></Row>"
    "<Row><Entry>Chile</Entry><Entry></Entry><Entry></Entry></Row>"
    "</Rows></Tbody></TGroup></Table></Participants>"
)
_SECTIONS = (
    "<Declarations><Text>orphan article 5</Text><Declaration>"
    "<Participant>France&lt;superscript&gt;7&lt;/superscript&gt;</Participant>"
    "<Text>\u2003 Article 3 (2)(b)\t and\xa0art. 9 &lt;superscript&gt; 8 &lt;/superscript&gt;"
    "  \u2003</Text>"
    "<Text>   &lt;superscript&gt;9&lt;/superscript&gt; </Text><Text>\r\n</Text><Text/>"
    "<Text>pre <b>bold article 12</b><superscript>5</superscript> tail "
    "&lt;superscript&gt;6&lt;/superscript&gt; paragraph 2 of article 65</Text>"
    "<Text><superscript>10</superscript></Text>"
    "<Text>France does not consider itself bound by article 4</Text></Declaration>"
    "<Declaration><Participant>Atlantis</Participant><Text>ignored</Text></Declaration>"
    "<Declaration><Participant>Germany</Participant><Text> shall not apply art 3 </Text>"
    "<Text>&lt;superscript&gt;x&lt;/superscript&gt;&lt;superscript&gt;&lt;/superscript&gt;"
    "arts. 7 &amp; 8</Text></Declaration></Declarations>"
    "<Objections><Declaration><Participant>Germany</Participant><Text>objects to the "
    "reservation of France to article 3\t\r x</Text></Declaration>"
    "<Participant>Chile</Participant><Text>   </Text></Objections>"
    "<EndNotes><Text><superscript>1</superscript> note</Text></EndNotes></Treaty>"
    "</TreatyChapterContent>"
)


def test_paragraphs_markers_and_warnings() -> None:
    snapshot = parse_status_xml(
        (_HEAD + _SECTIONS).encode("utf-8"), source="edge", retrieved_at=WHEN
    )
    france = snapshot.participant("FRA")
    # markers from the name and from paragraphs with text; "9" and "10" stand alone in
    # otherwise empty paragraphs and are dropped, as the importer always did
    assert france.footnotes == ("4", "7", "8", "5", "6")
    (statement,) = france.declarations
    assert statement.text == (
        "Article 3 (2)(b) and art. 9\n\npre bold article 12 tail paragraph 2 of article 65"
        "\n\nFrance does not consider itself bound by article 4"
    )
    assert statement.articles == ("3(2)(b)", "9", "12", "65(2)", "4")
    assert statement.is_reservation
    germany = snapshot.participant("DEU")
    assert germany.footnotes == ("x",)
    declaration, objection = germany.declarations
    assert declaration.text == "shall not apply art 3\n\narts. 7 & 8"
    assert declaration.articles == ("7", "8") and declaration.is_reservation
    assert objection.section is DeclarationSection.OBJECTIONS
    assert objection.text == "objects to the reservation of France to article 3 x"
    assert objection.articles == ("3",) and not objection.is_reservation
    assert snapshot.participant("CHL").declarations == ()
    assert snapshot.warnings == (
        "line 1: text in Declarations before any participant name; skipped",
        # line 2: the "\r\n" inside France's paragraph
        "line 2: Declarations names 'Atlantis', which is not in the participant table; its "
        "text was skipped",
        "line 2: text in Declarations before any participant name; skipped",
    )


_XML_TEXT = st.text(
    alphabet=st.sampled_from(list("ab \t\n\r\xa0\u2003.")), max_size=300
)


@given(st.lists(_XML_TEXT, min_size=1, max_size=6))
def test_paragraphs_squashed_together_as_one_by_one(paragraphs: list[str]) -> None:
    body = "".join(
        f"<Text>{p.replace('&', '&amp;').replace('<', '&lt;')}</Text>" for p in paragraphs
    )
    xml = _HEAD + f"<Declarations><Participant>Chile</Participant>{body}</Declarations>"
    xml += "</Treaty></TreatyChapterContent>"
    snapshot = parse_status_xml(xml.encode("utf-8"), source="t", retrieved_at=WHEN)
    expected = "\n\n".join(s for s in (clean_paragraph(p)[0] for p in paragraphs) if s)
    texts = [d.text for d in snapshot.participant("CHL").declarations]
    assert texts == ([expected] if expected else [])
