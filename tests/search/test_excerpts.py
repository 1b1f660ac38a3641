"""``siteSearch`` excerpts are escaped HTML whose only markup is ``<mark>`` (docs/graphql.md).

On both engines: Elasticsearch's highlighter with its HTML encoder, and the
database engine's own excerpt. Whatever a provider or an editor writes into a
summary or a text comes out as text, and the summary is not shown twice.
"""

import re

import pytest
from conftest import reindex
from wagtail.models import Locale

from catalogue.models import ServicePage
from cms.visibility import Visibility
from exchange.importer import import_document
from search.backends import elasticsearch
from search.backends.base import excerpt
from search.filters import SiteSearch

pytestmark = pytest.mark.django_db

SUMMARY = "Palkkatuki on tukea työnantajalle, kun palkkaat työttömän."
DOCUMENT = {
    "version": 1,
    "organisations": [
        {"key": "vantaa", "kind": "municipality", "locales": {"fi": {"name": "Vantaa"}}}
    ],
    "services": [
        {
            "key": "wage-subsidy",
            "organisation": "vantaa",
            "status": "published",
            "audience": "employer",
            "responsible": "owner@example.org",
            "locales": {
                "fi": {
                    "title": "Palkkatuki",
                    "summary": SUMMARY,
                    # As in the demo content: the description opens with the summary.
                    "description": f"<p>{SUMMARY} Palkkatuen määrä &amp; kesto vaihtelevat.</p>",
                }
            },
        }
    ],
}

QUERY = """query($query: String!) {
  siteSearch(query: $query) { items { key title excerpt } }
}"""
ONLY_MARKS = re.compile(r"</?mark>")


def hit(graphql, query="palkkatuki"):
    response = graphql(QUERY, {"query": query})
    assert "errors" not in response, response
    (item,) = [item for item in response["data"]["siteSearch"]["items"] if item["key"]]
    return item


def markup_of(html):
    """The tags of an excerpt other than <mark>."""
    return re.findall(r"<[^>]*>", ONLY_MARKS.sub("", html))


@pytest.fixture
def service(site_tree, delivery_engine):
    """The service, searched for on each engine in turn."""
    import_document(DOCUMENT)
    reindex()
    return ServicePage.objects.get(key="wage-subsidy")


def edit_summary(service, summary):
    """Publish a new summary as an editor does in the admin (where any text may be typed)."""
    service.summary = summary
    service.save_revision().publish()
    reindex()


def test_the_matched_words_are_marked_and_nothing_else_is_markup(graphql, service):
    item = hit(graphql)

    assert "<mark>" in item["excerpt"]
    assert re.search(r"<mark>palkkatuki</mark>", item["excerpt"], re.IGNORECASE)
    assert markup_of(item["excerpt"]) == []
    assert item["excerpt"].count("<mark>") == item["excerpt"].count("</mark>")


def test_an_excerpt_shows_the_summary_once(graphql, service):
    text = ONLY_MARKS.sub("", hit(graphql)["excerpt"])

    assert text.count("tukea työnantajalle") == 1


def test_markup_typed_into_a_summary_comes_out_as_text(graphql, service):
    edit_summary(service, "<img src=x onerror=alert(1)> Palkkatuki <b>nopeasti</b> & helposti")

    item = hit(graphql)

    assert "<img" not in item["excerpt"] and "<b>" not in item["excerpt"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in item["excerpt"]
    assert markup_of(item["excerpt"]) == []
    # Titles and summaries are plain text: the title is delivered as it was written.
    assert item["title"] == "Palkkatuki"


def test_character_references_of_rich_text_are_not_escaped_twice(graphql, service):
    item = hit(graphql, "palkkatuen kesto")

    assert "&amp;amp;" not in item["excerpt"]
    assert "&amp; kesto" in ONLY_MARKS.sub("", item["excerpt"])


def test_the_database_excerpt_escapes_and_marks_words_starting_with_a_query_word():
    html = excerpt('Palkkatuki <script>x</script> & "tuki" palkkatukea', "palkkatuki")

    assert html == (
        "<mark>Palkkatuki</mark> &lt;script&gt;x&lt;/script&gt; &amp; &quot;tuki&quot; palkkatukea"
    )
    assert excerpt("Palkka & tuki", "palkka") == "<mark>Palkka</mark> &amp; tuki"
    assert excerpt("a < b", "") == "a &lt; b"


def test_the_elasticsearch_highlight_is_html_encoded_with_marks(site_tree):
    anonymous = Visibility(None)
    search = SiteSearch(text="palkkatuki", locale=Locale.get_default(), visibility=anonymous)

    highlight = elasticsearch.site_search_body(search, offset=0, limit=20)["highlight"]

    assert highlight["encoder"] == "html"
    assert (highlight["pre_tags"], highlight["post_tags"]) == (["<mark>"], ["</mark>"])
