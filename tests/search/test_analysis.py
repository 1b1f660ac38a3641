"""What search makes of text: Finnish base forms and compound parts, attachments, synonyms.

The Voikko tests need libvoikko1 and voikko-fi; they skip where those are
missing (the embedded ``make run`` set-up), but never in CI, which installs
them through deploy/local-services.sh.
"""

import io
import logging
import os
import threading
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfWriter
from wagtail.documents import get_document_model

from search import analysis, synonyms
from search.models import Synonym

needs_voikko = pytest.mark.skipif(
    not analysis.voikko_available() and not os.environ.get("CI_REQUIRE_SERVICES"),
    reason="libvoikko1 / voikko-fi are not installed (CI installs them)",
)


@pytest.fixture
def analysis_log():
    """Records of search.analysis (the suite runs with pytest's logging plugin off)."""
    records = []
    handler = logging.Handler(level=logging.DEBUG)
    handler.emit = records.append
    logger = logging.getLogger("search.analysis")
    previous_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield records
    logger.removeHandler(handler)
    logger.setLevel(previous_level)


# --- Finnish base forms and compound parts ---


@needs_voikko
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("työkokeiluun", "työkokeilu työ kokeilu"),
        ("palkkatuella", "palkkatuki palkka tuki"),
        ("uraohjauspalvelu", "uraohjauspalvelu ura ohjaus palvelu"),
        ("maahanmuuttajille", "maahanmuuttaja maahan muuttaja"),
        ("lastensuojelu", "lastensuojelu lapsi suojelu"),
    ],
)
def test_finnish_words_give_base_forms_and_compound_parts(text, expected):
    assert analysis.lemmas(text, "fi") == expected


@needs_voikko
def test_each_term_appears_once_and_unknown_words_add_nothing():
    terms = analysis.lemmas("Palkkatuki ja palkkatuella, digi 2025 xyzzyq", "fi").split()
    assert len(terms) == len(set(terms))
    assert {"palkkatuki", "palkka", "tuki", "ja"} <= set(terms)
    assert "xyzzyq" not in terms and "2025" not in terms


@needs_voikko
def test_hyphenated_words_are_analysed_by_their_halves():
    assert {"te", "palvelu"} <= set(analysis.lemmas("TE-palvelut", "fi").split())


@needs_voikko
def test_a_query_expands_like_the_indexed_text():
    assert analysis.expand_query("palkkatuella", "fi") == analysis.lemmas("palkkatuesta", "fi")


def test_other_languages_are_not_analysed():
    assert analysis.lemmas("arbetsprövning", "sv") == ""
    assert analysis.expand_query("work trial", "en") == ""


@needs_voikko
def test_analysis_is_safe_from_several_threads():
    words = ["työkokeiluun", "palkkatuella", "uraohjauspalvelu", "maahanmuuttajille"] * 25
    expected = {word: analysis.lemmas(word, "fi") for word in set(words)}
    analysis.reset_voikko()  # empty word cache: every thread goes to Voikko
    mismatches = []

    def analyse(offset):
        for word in words[offset:] + words[:offset]:
            if analysis.lemmas(word, "fi") != expected[word]:
                mismatches.append(word)

    threads = [threading.Thread(target=analyse, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert mismatches == []


@pytest.fixture
def voikko_elsewhere(monkeypatch):
    """Voikko configured to load from a directory that has no library."""
    monkeypatch.setattr(analysis, "VOIKKO_LIBRARY_PATH", "/nonexistent/voikko")
    analysis.reset_voikko()
    yield
    monkeypatch.undo()
    analysis.reset_voikko()


def test_without_the_library_search_gets_no_base_forms_and_says_so_once(
    voikko_elsewhere, analysis_log
):
    assert analysis.lemmas("työkokeiluun", "fi") == ""
    assert analysis.expand_query("palkkatuella", "fi") == ""
    assert not analysis.voikko_available()
    notes = [record for record in analysis_log if "Voikko is not available" in record.getMessage()]
    assert [note.levelno for note in notes] == [logging.INFO]


# --- Attachments ---


def _pdf(text):
    """A one-page PDF showing ``text`` in Helvetica (Windows-1252, so ä and ö work)."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def _encrypted_pdf(text, password):
    writer = PdfWriter(clone_from=io.BytesIO(_pdf(text)))
    writer.encrypt(user_password=password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _docx(*paragraphs):
    namespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{first}</w:t></w:r>'
        f"<w:r><w:tab/><w:t>{second}</w:t></w:r></w:p>"
        for first, second in paragraphs
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?>'
            f'<w:document xmlns:w="{namespace}"><w:body>{body}</w:body></w:document>',
        )
    return out.getvalue()


@pytest.fixture
def attachment(db):
    def make(name, data, title="Liite"):
        return get_document_model().objects.create(title=title, file=ContentFile(data, name=name))

    return make


def test_the_text_of_a_pdf_is_searchable(attachment):
    document = attachment("ohje.pdf", _pdf("Työkokeilu alkaa sopimuksella"))
    assert analysis.document_text(document) == "Työkokeilu alkaa sopimuksella"


def test_the_text_of_a_docx_is_searchable(attachment):
    document = attachment(
        "ohje.docx", _docx(("Palkkatuki", "haetaan ennen"), ("työsuhteen", "alkua."))
    )
    assert analysis.document_text(document) == "Palkkatuki haetaan ennen työsuhteen alkua."


def test_plain_text_files_are_read_as_utf8_and_windows_exports_too(attachment):
    utf8 = attachment("muistio.txt", "Ryhmävalmennus\r\n\r\nkesäkuussa".encode())
    csv = attachment("palvelut.csv", "nimi;kunta\nTyöpaja;Järvenpää\n".encode("cp1252"))
    assert analysis.document_text(utf8) == "Ryhmävalmennus kesäkuussa"
    assert analysis.document_text(csv) == "nimi;kunta Työpaja;Järvenpää"


def test_long_texts_are_cut(attachment, monkeypatch):
    monkeypatch.setattr(analysis, "ATTACHMENT_MAX_CHARS", 20)
    document = attachment("pitka.txt", ("sana " * 1000).encode())
    assert len(analysis.document_text(document)) == 20


def test_a_too_large_pdf_is_searchable_by_title_only(attachment, monkeypatch, analysis_log):
    monkeypatch.setattr(analysis, "ATTACHMENT_MAX_BYTES", 100)
    document = attachment("iso.pdf", _pdf("Työkokeilu"), title="Iso esite")
    assert analysis.document_text(document) == ""
    assert "Iso esite" in analysis_log[-1].getMessage()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("rikki.pdf", b"%PDF-1.4\nthis is not a PDF after all"),
        ("rikki.docx", b"PK\x03\x04 truncated"),
        ("salattu.pdf", _encrypted_pdf("Salainen", "salasana")),
        ("tyhja.pdf", b""),
    ],
)
def test_broken_or_encrypted_files_give_no_text_and_a_warning(attachment, analysis_log, name, data):
    document = attachment(name, data, title="Rikkinäinen liite")
    assert analysis.document_text(document) == ""
    warnings = [record for record in analysis_log if record.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "Rikkinäinen liite" in warnings[0].getMessage()
    assert str(document.pk) in warnings[0].getMessage()


def test_other_file_types_give_no_text(attachment, analysis_log):
    assert analysis.document_text(attachment("taulukko.xlsx", b"PK\x03\x04")) == ""
    assert analysis_log == []


# --- Synonyms ---


@pytest.fixture(autouse=True)
def _fresh_synonyms():
    """Groups cached by one test must not reach the next (the cache outlives its rollback)."""
    synonyms.forget()
    yield
    synonyms.forget()


@pytest.mark.django_db
def test_finnish_abbreviations_expand_to_their_long_forms():
    phrasings = synonyms.expand("TE palkkatuki", "fi")
    assert phrasings[0] == "TE palkkatuki"
    assert "työ- ja elinkeinopalvelut palkkatuki" in phrasings
    assert "TE-palvelut palkkatuki" in phrasings
    assert "TE palkkatukityö" in phrasings


@pytest.mark.django_db
def test_long_forms_expand_to_the_abbreviation_ignoring_case_and_accents():
    phrasings = synonyms.expand("tyollistymista edistava monialainen yhteispalvelu Espoo", "fi")
    assert "TYP Espoo" in phrasings


@pytest.mark.django_db
def test_terms_match_only_whole_words():
    # "te" is not "TE" inside "tekstiviesti", nor "TE" inside "TE-palvelut".
    assert synonyms.expand("tekstiviesti", "fi") == ["tekstiviesti"]
    assert "TE palvelut" not in synonyms.expand("TE-palvelut", "fi")


@pytest.mark.django_db
def test_swedish_queries_use_the_swedish_synonyms():
    assert synonyms.expand("TE-byrån", "sv") == ["TE-byrån"]
    assert synonyms.expand("arbets- och näringstjänster i Vanda", "sv") == [
        "arbets- och näringstjänster i Vanda",
        "TE i Vanda",
    ]
    assert "työ- ja elinkeinopalvelut" not in " ".join(synonyms.expand("TE", "sv"))


@pytest.mark.django_db
def test_a_new_synonym_group_applies_at_once():
    assert synonyms.expand("digituki", "fi") == ["digituki"]
    Synonym.objects.create(language="fi", terms="digituki, digineuvonta")
    assert synonyms.expand("digituki", "fi") == ["digituki", "digineuvonta"]


@pytest.mark.django_db
def test_an_administrator_can_open_the_synonym_listing(client, role_user):
    client.force_login(role_user("administrator"))
    response = client.get(reverse("wagtailsnippets_search_synonym:list"))
    assert response.status_code == 200
    assert "työ- ja elinkeinopalvelut" in response.content.decode()


@pytest.mark.django_db
def test_the_administrators_group_has_the_rights_without_superuser_status(client, role_user):
    user = role_user("administrator")
    user.is_superuser = False
    user.save()
    client.force_login(user)
    assert client.get(reverse("wagtailsnippets_search_synonym:list")).status_code == 200
    assert client.get(reverse("wagtailsnippets_search_synonym:add")).status_code == 200


@pytest.mark.django_db
def test_an_expert_cannot_edit_synonyms(client, role_user):
    client.force_login(role_user("expert"))
    assert client.get(reverse("wagtailsnippets_search_synonym:list")).status_code != 200


@pytest.mark.django_db
def test_a_group_added_in_the_admin_is_used_by_the_next_search(client, role_user):
    client.force_login(role_user("administrator"))
    url = reverse("wagtailsnippets_search_synonym:add")
    one_term = client.post(url, {"language": "fi", "terms": "Ohjaamo", "note": ""})
    assert one_term.status_code == 200  # the form again: a group needs two terms
    response = client.post(url, {"language": "fi", "terms": "Ohjaamo, nuorten palvelupiste"})
    assert response.status_code == 302
    assert synonyms.expand("ohjaamo Vantaa", "fi") == [
        "ohjaamo Vantaa",
        "nuorten palvelupiste Vantaa",
    ]
