"""``siteSearch`` end to end on the configured backend (database locally, Elasticsearch in CI).

One query finds services, instructions, guides and attachments; anonymous
callers get neither hits nor counts of internal content or drafts.
"""

import pytest
from conftest import reindex
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

from exchange.importer import import_document

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("delivery_engine")]

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
            "municipalities": ["092"],
            "locales": {
                "fi": {
                    "title": "Palkkatuki",
                    "summary": "Palkkatuki on tukea työnantajalle palkkauskustannuksiin.",
                },
                "sv": {"title": "Lönesubvention", "summary": "Stöd för arbetsgivare."},
            },
        },
        {
            "key": "wage-subsidy-draft",
            "organisation": "vantaa",
            "status": "draft",
            "audience": "employer",
            "responsible": "owner@example.org",
            "locales": {"fi": {"title": "Palkkatuki luonnos", "summary": "Palkkatuki uusi."}},
        },
    ],
    "instructions": [
        {
            "key": "wage-subsidy-vantaa",
            "service": "wage-subsidy",
            "status": "published",
            "municipalities": ["092"],
            "locales": {
                "fi": {"title": "Palkkatuen käsittely", "guidance": "<p>Palkkatuki haetaan.</p>"}
            },
        }
    ],
    "guides": [
        {
            "key": "wage-subsidy-guide",
            "kind": "guide",
            "status": "published",
            "locales": {"fi": {"title": "Palkkatuen opas", "body": "<p>Palkkatuki lyhyesti.</p>"}},
        },
        {
            "key": "wage-subsidy-tool",
            "kind": "tool",
            "internal": True,
            "status": "published",
            "locales": {"fi": {"title": "Palkkatukilaskuri", "body": "<p>Palkkatuki.</p>"}},
        },
    ],
}

QUERY = """query($query: String!, $locale: String, $kinds: [ContentKind!], $limit: Int) {
  siteSearch(query: $query, locale: $locale, kinds: $kinds, limit: $limit) {
    totalCount
    kindCounts { kind count }
    items { kind key title url excerpt page { id locale } document { id title } }
  }
}"""


@pytest.fixture
def content(site_tree):
    import_document(DOCUMENT)
    documents = get_document_model()
    internal = Collection.objects.get(name="Sisäiset liitteet")
    public = Collection.objects.get(name="Liitteet")
    for title, collection in (("Palkkatuki-lomake", public), ("Palkkatuki sisäinen", internal)):
        documents.objects.create(
            title=title, file=ContentFile(b"x", name=f"{title}.txt"), collection=collection
        )
    reindex()


def search(graphql, **variables):
    response = graphql(QUERY, {"query": "palkkatuki", **variables})
    assert "errors" not in response, response
    return response["data"]["siteSearch"]


def counts(result):
    return {row["kind"]: row["count"] for row in result["kindCounts"] if row["count"]}


def test_anonymous_finds_public_content_of_every_kind_and_nothing_internal(graphql, content):
    result = search(graphql)

    titles = {item["title"] for item in result["items"]}
    assert titles == {"Palkkatuki", "Palkkatuen opas", "Palkkatuki-lomake"}
    assert counts(result) == {"SERVICE": 1, "GUIDE": 1, "ATTACHMENT": 1}
    assert result["totalCount"] == 3
    service = next(item for item in result["items"] if item["kind"] == "SERVICE")
    assert service["key"] == "wage-subsidy"
    assert "Palkkatuki" in service["excerpt"]
    assert service["url"]


def test_experts_also_find_instructions_internal_tools_and_attachments(
    client, graphql, content, role_user
):
    client.force_login(role_user("expert"))

    result = search(graphql)

    assert counts(result) == {
        "SERVICE": 1,
        "INSTRUCTION": 1,
        "GUIDE": 1,
        "TOOL": 1,
        "ATTACHMENT": 2,
    }
    assert "Palkkatuki luonnos" not in {item["title"] for item in result["items"]}


def test_kinds_select_hits_but_counts_stay_for_tabs(graphql, content):
    result = search(graphql, kinds=["GUIDE", "ATTACHMENT"])

    assert {item["kind"] for item in result["items"]} == {"GUIDE", "ATTACHMENT"}
    assert result["totalCount"] == 2
    assert counts(result)["SERVICE"] == 1


def test_locale_serves_the_translation(graphql, content):
    result = search(graphql, locale="sv", kinds=["SERVICE"])

    assert [(item["title"], item["page"]["locale"]) for item in result["items"]] == [
        ("Lönesubvention", "sv")
    ]


def test_bad_arguments_are_errors(graphql, content):
    assert "must not be empty" in graphql(QUERY, {"query": "  "})["errors"][0]["message"]
    response = graphql(QUERY, {"query": "x", "locale": "xx"})
    assert "Unknown locale 'xx'" in response["errors"][0]["message"]


def test_experts_can_ask_why_a_hit_ranks_where_it_does(
    client, graphql, content, role_user, delivery_engine
):
    query = """query($q: String!) { siteSearch(query: $q, explain: true) {
      items { title explanation } } }"""
    refused = graphql(query, {"q": "palkkatuki"})
    assert "signed-in" in refused["errors"][0]["message"]

    client.force_login(role_user("expert"))
    items = graphql(query, {"q": "palkkatuki"})["data"]["siteSearch"]["items"]

    assert items and all(item["explanation"].startswith("score ") for item in items)
    if delivery_engine.name == "elasticsearch":  # it names the matched fields and terms
        assert "title" in items[0]["explanation"]


# --- Ranking and excerpts ------------------------------------------------------------


def service(key, title, **texts):
    return {
        "key": key,
        "organisation": "vantaa",
        "status": "published",
        "audience": "person",
        "responsible": "owner@example.org",
        "locales": {"fi": {"title": title, **texts}},
    }


# As in the demo content: the service named "Työkokeilu" mentions the word only in
# its title and keyword list, while others use it in their summary and description.
TRIALS = {
    "version": 1,
    "organisations": DOCUMENT["organisations"],
    "services": [
        service(
            "work-trial",
            "Työkokeilu",
            summary="Kokeile, sopiiko ala tai työpaikka sinulle ennen kuin sitoudut.",
            description="<p>Valmentaja tukee sinua.</p><ul><li>työkokeilu</li></ul>",
        ),
        *(
            service(
                f"recruitment-trial-{number}",
                f"Rekrytointikokeilu työnantajille {number}",
                summary="Tutustu työntekijään työkokeilu-jakson avulla.",
                # The summary again, then a sentence that the participation repeats.
                description=(
                    "<p>Tutustu työntekijään työkokeilu-jakson avulla. Työkokeilu sopii"
                    " työkokeilu-jaksoksi, työkokeilu alkaa pian.</p>"
                ),
                participation=(
                    "<p>Työkokeilu sopii työkokeilu-jaksoksi, työkokeilu alkaa pian."
                    " Ilmoittaudu verkossa.</p>"
                ),
            )
            for number in range(1, 12)
        ),
    ],
}


@pytest.fixture
def trials(site_tree):
    import_document(TRIALS)
    reindex()


def search_trials(graphql):
    return search(graphql, query="työkokeilu", kinds=["SERVICE"], limit=20)["items"]


def test_a_title_that_is_the_query_ranks_first(graphql, trials):
    items = search_trials(graphql)

    assert len(items) == 12
    assert items[0]["title"] == "Työkokeilu"


def test_no_excerpt_shows_a_sentence_twice(graphql, trials):
    for item in search_trials(graphql):
        plain = item["excerpt"].replace("<mark>", "").replace("</mark>", "").strip("…")
        sentences = [s.casefold() for s in plain.split(". ") if len(s) > 10]
        assert len(sentences) == len(set(sentences)), item["excerpt"]
