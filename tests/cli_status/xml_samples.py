"""Small MTDSG status files in the depositary's shape, written for these tests."""

from __future__ import annotations

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<TreatyChapterContent><Treaty><Header><Chapter>CHAPTER XVIII</Chapter>
<ExternalData><Titlesect>16. United Nations Convention against Cybercrime</Titlesect>
<EIF><Labeltext>Entry into force:</Labeltext><Text>not yet in force</Text></EIF>
</ExternalData></Header>
<Participants><Table><TGroup cols="3"><Thead><Row><Entry>Participant</Entry>
<Entry>Signature</Entry>
<Entry>Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)</Entry></Row>
</Thead><Tbody><Rows>
"""
FOOTER = """</Rows></Tbody></TGroup></Table></Participants>
<Declarations><Labeltext>Declarations and Reservations</Labeltext>
<Declaration><Participant>Austria</Participant>
<Text>Austria declares under article 42, paragraph 3, that it will preserve data.</Text>
</Declaration></Declarations>
<EndNotes><EndNote><Text><superscript>1</superscript> A note on Brazil.</Text></EndNote>
</EndNotes>
</Treaty></TreatyChapterContent>
"""


def status_xml(rows: list[tuple[str, str, str]]) -> bytes:
    body = "".join(
        f"<Row><Entry>{name}</Entry><Entry>{signed}</Entry><Entry>{consent}</Entry></Row>\n"
        for name, signed, consent in rows
    )
    return (HEADER + body + FOOTER).encode("utf-8")


FIRST = status_xml([
    ("Austria", "25 Oct 2025", ""),
    ("Brazil<superscript>1</superscript>", "25 Oct 2025", ""),
    ("Viet Nam", "25 Oct 2025", ""),
])
SECOND = status_xml([
    ("Austria", "25 Oct 2025", "2 Mar 2026"),
    ("Brazil<superscript>1</superscript>", "25 Oct 2025", ""),
    ("Viet Nam", "25 Oct 2025", "3 Mar 2026 A"),
    ("Palau", "", "5 May 2026 a"),
])
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<TreatyChapterContent><Treaty>&lol3;</Treaty></TreatyChapterContent>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE t [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<TreatyChapterContent><Treaty>&xxe;</Treaty></TreatyChapterContent>
"""
NOT_XML = b"<TreatyChapterContent><Treaty><Header>"
MAINTENANCE_PAGE = b"<!DOCTYPE html><html><body>The site is under maintenance</body></html>"
