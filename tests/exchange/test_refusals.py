"""What an import refuses before writing anything (docs/exchange-format.md#errors).

A member name given twice, bytes that are not UTF-8, NUL and other control
characters, and markup in plain text are each reported under the record and
field they occur in, every problem at once, and nothing is written. Tested
through the two real entrances: ``manage.py import_content`` and
``import_document``.
"""

import json

import pytest
from django.core.management import CommandError, call_command

from catalogue.models import OrganisationPage, ServicePage
from exchange.importer import import_document
from exchange.validation import ExchangeError

pytestmark = pytest.mark.django_db


def document(**service_texts):
    return {
        "version": 1,
        "organisations": [
            {"key": "vantaa", "kind": "municipality", "locales": {"fi": {"name": "Vantaa"}}}
        ],
        "services": [
            {
                "key": "work-trial",
                "organisation": "vantaa",
                "status": "published",
                "audience": "person",
                "responsible": "owner@example.org",
                "locales": {
                    "fi": {
                        "title": "Työkokeilu",
                        "summary": "Kokeile, sopiiko ala sinulle.",
                        "description": "<p>Maksuton.</p>",
                        **service_texts,
                    }
                },
            }
        ],
    }


def as_json(data):
    return json.dumps(data, ensure_ascii=False)


def refusal(raw):
    with pytest.raises(ExchangeError) as refused:
        import_document(raw)
    return refused.value.messages


def import_file(tmp_path, raw, *args):
    """Run import_content on a file of these bytes; (CommandError, its stderr lines)."""
    import io

    path = tmp_path / "content.json"
    path.write_bytes(raw)
    stderr = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_content", str(path), *args, stderr=stderr)
    return refused.value, stderr.getvalue().splitlines()


def nothing_written():
    return not OrganisationPage.objects.exists() and not ServicePage.objects.exists()


def test_a_member_name_given_twice_is_an_error_naming_the_record(site_tree, tmp_path):
    raw = as_json(document()).replace(
        '"status": "published"', '"status": "published", "status": "draft"'
    )

    error, lines = import_file(tmp_path, raw.encode())

    assert lines == [
        "services[work-trial].status: given 2 times; a name may appear once per object"
    ]
    assert "1 error(s)" in str(error) and "nothing was imported" in str(error)
    assert nothing_written()


def test_repeated_names_are_found_in_nested_objects_and_the_locales_map(site_tree):
    raw = as_json(document()).replace(
        '"title": "Työkokeilu"', '"title": "Työkokeilu", "title": "Arbetsprövning"'
    )
    raw = raw.replace('"locales": {"fi": {"title"', '"locales": {"fi": {}, "fi": {"title"')

    assert refusal(raw) == [
        "services[work-trial].locales.fi: given 2 times; a language may appear once",
        "services[work-trial].locales.fi.title: given 2 times; a name may appear once per object",
    ]
    assert nothing_written()


def test_bytes_that_are_not_utf8_are_refused_by_record_and_field(site_tree, tmp_path):
    raw = as_json(document(summary="Maksuton XX")).encode().replace(b"XX", b"\xff\xfe")

    _error, lines = import_file(tmp_path, raw)

    assert lines == [
        "services[work-trial].locales.fi.summary: not valid UTF-8 (byte 0xFF at character 9)"
    ]
    assert nothing_written()


def test_a_document_in_latin1_is_refused_at_the_first_byte_of_each_field(site_tree):
    raw = as_json(document(title="Työkokeilu", summary="Lyhyt")).encode("latin-1")

    messages = refusal(raw)

    assert messages == [
        "services[work-trial].locales.fi.title: not valid UTF-8 (byte 0xF6 at character 2)"
    ]


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        (
            {"title": "Työ\u0000kokeilu"},
            "locales.fi.title: NUL character U+0000 at character 3 (this field takes one line "
            "of text)",
        ),
        (
            {"title": "Työkokeilu\n"},
            "locales.fi.title: control character U+000A at character 10 (this field takes one "
            "line of text)",
        ),
        (
            {"summary": "Kello\u0007"},
            "locales.fi.summary: control character U+0007 at character 5 (this field takes tab "
            "and line breaks only)",
        ),
        (
            {"description": "<p>a\u0000</p>"},
            "locales.fi.description: NUL character U+0000 at character 4 (this field takes tab "
            "and line breaks only)",
        ),
        (
            {"keywords": ["ok", "uravalinta\u001b"]},
            "locales.fi.keywords[1]: control character U+001B at character 10 (this field takes "
            "one line of text)",
        ),
        (
            {"summary": "C1\u0085"},
            "locales.fi.summary: control character U+0085 at character 2 (this field takes tab "
            "and line breaks only)",
        ),
        (
            {"title": "Työkokeilu \ud800"},
            "locales.fi.title: unpaired surrogate U+D800 at character 11; not valid text",
        ),
    ],
)
def test_control_characters_are_refused_by_record_and_field(site_tree, texts, message):
    assert refusal(as_json(document(**texts))) == [f"services[work-trial].{message}"]
    assert nothing_written()


def test_tabs_and_line_breaks_are_text_where_a_field_has_lines(site_tree):
    import_document(
        as_json(document(summary="Ensimmäinen rivi.\r\nToinen\trivi.", description="<p>a\nb</p>"))
    )

    service = ServicePage.objects.get(key="work-trial")
    assert service.summary == "Ensimmäinen rivi.\r\nToinen\trivi."


def test_raw_control_characters_are_reported_like_escaped_ones(site_tree, tmp_path):
    raw = as_json(document(title="TyöXkokeilu")).encode().replace(b"X", b"\x00")

    _error, lines = import_file(tmp_path, raw, "--dry-run")

    assert lines == [
        "services[work-trial].locales.fi.title: NUL character U+0000 at character 3 "
        "(this field takes one line of text)"
    ]


def test_every_problem_of_the_document_is_reported_at_once(site_tree, tmp_path):
    data = document(title="Työ\u0000kokeilu", summary="<b>Maksuton</b>")
    data["services"][0]["contacts"] = [{"name": "Neuvonta\u0007"}]
    data["organisations"][0]["locales"]["fi"]["name"] = "Vantaa &amp; Kerava"
    raw = as_json(data).replace('"audience": "person"', '"audience": "person", "audience": "x"')

    error, lines = import_file(tmp_path, raw.encode())

    assert lines == [
        "organisations[vantaa].locales.fi.name: plain text cannot contain HTML markup "
        '(found "&amp;"); write characters as themselves, e.g. & and <',
        "services[work-trial].audience: given 2 times; a name may appear once per object",
        'services[work-trial].audience: expected one of person, employer, got "x"',
        "services[work-trial].contacts[0].name: control character U+0007 at character 8 "
        "(this field takes one line of text)",
        "services[work-trial].locales.fi.title: NUL character U+0000 at character 3 "
        "(this field takes one line of text)",
        "services[work-trial].locales.fi.summary: plain text cannot contain HTML markup "
        '(found "<b"); write characters as themselves, e.g. & and <',
    ]
    assert "6 error(s)" in str(error)
    assert nothing_written()


@pytest.mark.parametrize(
    ("texts", "found"),
    [
        ({"title": "<img src=x onerror=alert(1)>Työkokeilu"}, 'title: plain text {} (found "<i")'),
        ({"summary": "Katso </p>"}, 'summary: plain text {} (found "</")'),
        ({"summary": "R&#38;D"}, 'summary: plain text {} (found "&#38;")'),
        ({"keywords": ["<b>ura</b>"]}, 'keywords: plain text {}: "<b>ura</b>"'),
    ],
)
def test_titles_and_summaries_are_plain_text_and_markup_is_refused(site_tree, texts, found):
    messages = refusal(as_json(document(**texts)))

    assert len(messages) == 1
    markup = "cannot contain HTML markup"
    assert messages[0].startswith(f"services[work-trial].locales.fi.{found.format(markup)}")
    assert nothing_written()


def test_plain_text_may_use_the_characters_markup_is_made_of(site_tree):
    import_document(
        document(title="Työ & toiminta <3", summary="Alle 25 v. (ikä < 25) & työtön; R&D.")
    )

    service = ServicePage.objects.get(key="work-trial")
    assert service.title == "Työ & toiminta <3"
    assert service.summary == "Alle 25 v. (ikä < 25) & työtön; R&D."


def test_messages_show_bad_characters_as_escapes(site_tree):
    data = document()
    data["services"][0]["colour\u0000"] = "red"
    data["services"][0]["municipalities"] = ["09\u00001"]

    messages = refusal(as_json(data))

    assert 'services[work-trial].municipalities: unknown municipality code "09\\u00001"' in messages
    assert (
        "services[work-trial].colour\\u0000: field name: NUL character U+0000 at character 6 "
        "(this field takes one line of text)" in messages
    )
    assert all("\u0000" not in message for message in messages)


def test_text_that_is_not_json_is_one_message(site_tree, tmp_path):
    error, lines = import_file(tmp_path, b'{"version": 1,')

    assert len(lines) == 1 and lines[0].startswith("document: not valid JSON: ")
    assert "1 error(s)" in str(error)


def test_a_utf8_byte_order_mark_is_accepted(site_tree, tmp_path):
    path = tmp_path / "content.json"
    path.write_bytes(b"\xef\xbb\xbf" + as_json(document()).encode())

    call_command("import_content", str(path))

    assert ServicePage.objects.filter(key="work-trial", live=True).exists()
