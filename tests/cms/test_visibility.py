"""What each caller sees through the GraphQL delivery (cms.visibility, cms.delivery_schema).

Anonymous callers see published public content; experts, producers and
administrators also see the internal section and restricted attachments;
nobody sees drafts.

The last part walks the whole schema: every root field, with arguments aimed
at the hidden content, selecting every field a few levels deep, and looks for
the hidden content's marker words in the raw responses.
"""

import json
from collections import Counter
from dataclasses import dataclass

import pytest
from conftest import reindex
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page

from cms import visibility
from scripts import schema_walk
from scripts.schema_walk import Literal

# Marker words. Each hidden thing carries its own in its title, its text and
# (pages) its slug, so that the schema walk finds it in any raw response.
DRAFT = "SALAISUUS1"  # an unpublished service
INSTRUCTION = "SALAISUUS2"  # a process instruction in the internal section
INSTRUCTION_OF_DRAFT = "SALAISUUS3"  # an instruction for the unpublished service
INTERNAL_GUIDE = "SALAISUUS4"  # a guide in the internal section
INTERNAL_DOCUMENT = "SALAISUUS5"  # a document in the restricted collection
SECRET_DOCUMENT = "SALAISUUS6"  # a document behind a password
DRAFT_REVISION = "SALAISUUS7"  # unpublished changes to a live service
# Public things carry theirs, so that a walk that fetched nothing cannot pass.
PUBLIC_SERVICE = "JULKINEN1"
PUBLIC_GUIDE = "JULKINEN2"
PUBLIC_DOCUMENT = "JULKINEN3"

HIDDEN_MARKERS = (
    DRAFT,
    INSTRUCTION,
    INSTRUCTION_OF_DRAFT,
    INTERNAL_GUIDE,
    INTERNAL_DOCUMENT,
    SECRET_DOCUMENT,
    DRAFT_REVISION,
)
PUBLIC_MARKERS = (PUBLIC_SERVICE, PUBLIC_GUIDE, PUBLIC_DOCUMENT)
# What experts may read, and what nobody reads through the API.
INTERNAL_MARKERS = (INSTRUCTION, INSTRUCTION_OF_DRAFT, INTERNAL_GUIDE, INTERNAL_DOCUMENT)
NEVER_DELIVERED_MARKERS = (DRAFT, SECRET_DOCUMENT, DRAFT_REVISION)


@dataclass
class Content:
    home: object
    service: object
    other_service: object
    draft_service: object
    instruction: object
    instruction_of_draft: object
    public_guide: object
    internal_guide: object
    public_document: object
    internal_document: object
    secret_document: object
    organisation: object
    internal_section: object
    area_page: object
    draft_category: str

    @property
    def hidden_from_anonymous(self):
        """(kind, id) of everything an anonymous caller must never receive."""
        return {
            ("page", str(self.draft_service.pk)),
            ("page", str(self.instruction.pk)),
            ("page", str(self.instruction_of_draft.pk)),
            ("page", str(self.internal_guide.pk)),
            ("page", str(self.internal_section.pk)),
            ("page", str(self.area_page.pk)),
            ("document", str(self.internal_document.pk)),
            ("document", str(self.secret_document.pk)),
        }


def _document(title, collection, file_name=None):
    return get_document_model().objects.create(
        title=title,
        file=ContentFile(b"%PDF-1.4", name=f"{file_name or title}.pdf"),
        collection=collection,
    )


@pytest.fixture
def content(site_tree):
    from wagtail.contrib.redirects.models import Redirect

    from catalogue.models import (
        Municipality,
        OrganisationPage,
        ServiceAttachment,
        ServiceCategory,
        ServicePage,
    )
    from guides.models import GuidePage, InstructionAttachment, ProcessInstructionPage

    finnish = site_tree.home.locale
    categories = list(ServiceCategory.objects.filter(locale=finnish).order_by("slug")[:3])
    municipalities = list(Municipality.objects.filter(locale=finnish).order_by("code")[:2])
    organisation = site_tree.catalogue.add_child(
        instance=OrganisationPage(title="Kela", key="kela", slug="kela", kind="kela")
    )

    def service_page(categories, municipalities, **fields):
        page = ServicePage(**fields)
        page.categories = categories
        page.municipalities = municipalities
        return organisation.add_child(instance=page)

    service = service_page(
        categories[:1],
        municipalities[:1],
        title="Työkokeilu",
        key="work-trial",
        slug="tyokokeilu",
        responsible_email="v@x.fi",
        summary=f"{PUBLIC_SERVICE}: ohjaus työkokeiluun",
        description=f"<p>{PUBLIC_SERVICE}</p>",
    )
    other_service = service_page(
        categories[1:2],
        municipalities[:1],
        title="Uravalmennus",
        key="career-coaching",
        slug="uravalmennus",
        responsible_email="v@x.fi",
    )
    # Its own category, municipality, audience and flags: any facet that
    # counted it would show a bucket no public service has.
    draft_service = service_page(
        categories[2:3],
        municipalities[1:2],
        title=f"Luonnos {DRAFT}",
        key="draft",
        slug=f"luonnos-{DRAFT.lower()}",
        live=False,
        summary=f"{DRAFT}: ohjaus",
        description=f"<p>{DRAFT}</p>",
        audience="employer",
        free=False,
        accessible=True,
    )
    public_document = _document(
        "Hakulomake", site_tree.attachments, file_name=f"hakulomake-{PUBLIC_DOCUMENT}"
    )
    internal_document = _document(
        f"Sisäinen muistio {INTERNAL_DOCUMENT}", site_tree.internal_attachments
    )
    internal_document.tags.add(INTERNAL_DOCUMENT.lower())
    secret = Collection.get_first_root_node().add_child(instance=Collection(name="Salaiset"))
    CollectionViewRestriction.objects.create(
        collection=secret, restriction_type=CollectionViewRestriction.PASSWORD, password="x"
    )
    secret_document = _document(f"Salasanan takana {SECRET_DOCUMENT}", secret)
    service.attachments = [ServiceAttachment(document=internal_document)]
    service.save_revision().publish()
    changes = ServicePage.objects.get(pk=service.pk)
    changes.title = f"Työkokeilu {DRAFT_REVISION}"
    changes.summary = f"{DRAFT_REVISION}: ohjaus"
    changes.save_revision()
    area_page = next(iter(site_tree.area_pages.values()))
    instruction = area_page.add_child(
        instance=ProcessInstructionPage(
            title=f"Työkokeilun ohjaus {INSTRUCTION}",
            key="work-trial-guidance",
            slug=f"tyokokeilun-ohjaus-{INSTRUCTION.lower()}",
            service=service,
            guidance=f"<p>{INSTRUCTION}: ohjaus</p>",
            internal_contacts=f"<p>{INSTRUCTION}</p>",
            attachments=[
                InstructionAttachment(document=public_document),
                InstructionAttachment(document=internal_document),
                InstructionAttachment(document=secret_document),
            ],
        )
    )
    instruction_of_draft = area_page.add_child(
        instance=ProcessInstructionPage(
            title=f"Luonnoksen ohjaus {INSTRUCTION_OF_DRAFT}",
            key="draft-guidance",
            slug=f"luonnoksen-ohjaus-{INSTRUCTION_OF_DRAFT.lower()}",
            service=draft_service,
            guidance=f"<p>{INSTRUCTION_OF_DRAFT}: ohjaus</p>",
        )
    )
    internal_guide = site_tree.internal_guides.add_child(
        instance=GuidePage(
            title=f"Sisäinen opas {INTERNAL_GUIDE}",
            key="internal-guide",
            slug=f"sisainen-opas-{INTERNAL_GUIDE.lower()}",
            summary=f"{INTERNAL_GUIDE}: ohjaus",
            body=f"<p>{INTERNAL_GUIDE}</p>",
        )
    )
    # A public guide that links to internal content, as an editor might.
    public_guide = site_tree.guides.add_child(
        instance=GuidePage(
            title="Asiakasopas",
            key="client-guide",
            slug="asiakasopas",
            summary=PUBLIC_GUIDE,
            body=(
                f'<p>{PUBLIC_GUIDE}: ohjaus, <a linktype="page" id="{internal_guide.pk}">opas'
                f'</a>, <a linktype="document" id="{internal_document.pk}">muistio</a></p>'
            ),
        )
    )
    _questionnaires(finnish)
    Redirect.objects.create(old_path="/vanha-ohje", redirect_page=instruction)
    Redirect.objects.create(old_path="/vanha-palvelu", redirect_page=service)
    return Content(
        home=site_tree.home,
        service=service,
        other_service=other_service,
        draft_service=draft_service,
        instruction=instruction,
        instruction_of_draft=instruction_of_draft,
        public_guide=public_guide,
        internal_guide=internal_guide,
        public_document=public_document,
        internal_document=internal_document,
        secret_document=secret_document,
        organisation=organisation,
        internal_section=site_tree.internal,
        area_page=area_page,
        draft_category=categories[2].slug,
    )


# Keys of the questionnaires in the content: a published one with unpublished
# changes, and one never published.
QUESTIONNAIRE_KEYS = ["tyonhakija", "luonnoskysely"]


def _questionnaires(locale):
    from guidance.demo import QUESTIONNAIRES, create_questionnaire, stream
    from guidance.models import Questionnaire

    published = create_questionnaire(QUESTIONNAIRES[0], languages=("fi",))
    changes = Questionnaire.objects.get(pk=published.pk)
    changes.title = f"Kysely {DRAFT_REVISION}"
    changes.save_revision()
    draft = Questionnaire(
        key="luonnoskysely",
        title=f"Kysely {DRAFT}",
        intro=DRAFT,
        questions=stream(QUESTIONNAIRES[0], "fi"),
        locale=locale,
        live=False,
    )
    draft.save()
    draft.save_revision()


def _caller(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)

    def ask(query, **variables):
        response = client.post(
            "/graphql/",
            data=json.dumps({"query": query, "variables": variables}),
            content_type="application/json",
        )
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    return ask


@pytest.fixture
def anonymous(content):
    return _caller()


@pytest.fixture
def expert(content, role_user):
    return _caller(role_user("expert"))


@pytest.fixture
def provider_editor(content, role_user):
    return _caller(role_user("provider-editor", organisation_key="kela"))


PAGES = "{ pages(limit: 100) { id title } }"
DOCUMENTS = "{ documents(limit: 100) { id title } }"


def _titles(items):
    return {item["title"] for item in items}


def _hidden_titles(content):
    return {
        content.draft_service.title,
        content.instruction.title,
        content.instruction_of_draft.title,
        content.internal_guide.title,
    }


def test_anonymous_callers_see_public_services_and_guides_only(anonymous, content):
    titles = _titles(anonymous(PAGES)["pages"])
    assert {"Työkokeilu", "Asiakasopas"} <= titles
    assert not titles & {*_hidden_titles(content), "Sisäinen"}


def test_anonymous_callers_cannot_open_an_instruction_by_id(anonymous, content):
    query = "query ($id: ID) { page(id: $id) { id } }"
    assert anonymous(query, id=content.instruction.pk)["page"] is None
    assert anonymous(query, id=content.service.pk)["page"] == {"id": str(content.service.pk)}


def test_anonymous_callers_cannot_open_an_internal_guide_by_slug_or_url(anonymous, content):
    slug = content.internal_guide.slug
    assert anonymous(f'{{ page(slug: "{slug}") {{ id }} }}')["page"] is None
    url_path = f"/sisainen/sisaiset-ohjeet/{slug}/"
    assert anonymous(f'{{ page(urlPath: "{url_path}") {{ id }} }}')["page"] is None


def test_anonymous_callers_see_only_unrestricted_documents(anonymous, content):
    assert _titles(anonymous(DOCUMENTS)["documents"]) == {"Hakulomake"}
    query = "query ($id: ID) { document(id: $id) { id } }"
    assert anonymous(query, id=content.internal_document.pk)["document"] is None


def test_the_tree_around_home_does_not_reveal_internal_pages(anonymous, content):
    query = """query ($id: ID) { page(id: $id) {
        children { title } descendants(limit: 100) { title }
    } }"""
    home = anonymous(query, id=content.home.pk)["page"]
    assert "Sisäinen" not in _titles(home["children"])
    assert "Ohjeet ja oppaat" in _titles(home["children"])
    descendants = _titles(home["descendants"])
    assert "Työkokeilu" in descendants
    assert not descendants & {*_hidden_titles(content), "Prosessiohjeet"}


def test_siblings_do_not_reveal_drafts(anonymous, content):
    query = "query ($id: ID) { page(id: $id) { siblings { title } parent { title } } }"
    service = anonymous(query, id=content.service.pk)["page"]
    assert service["siblings"] == [{"title": content.other_service.title}]
    assert service["parent"] == {"title": "Kela"}


def test_experts_see_instructions_internal_guides_and_restricted_documents(expert, content):
    titles = _titles(expert(PAGES)["pages"])
    internal = {content.instruction.title, content.internal_guide.title}
    assert {"Työkokeilu", "Asiakasopas", *internal} <= titles
    assert content.draft_service.title not in titles
    assert _titles(expert(DOCUMENTS)["documents"]) == {
        "Hakulomake",
        content.internal_document.title,
    }
    query = "query ($id: ID) { page(id: $id) { title parent { title } } }"
    assert expert(query, id=content.instruction.pk)["page"]["title"] == content.instruction.title
    assert expert(query, id=content.draft_service.pk)["page"] is None


def test_experts_see_the_internal_section_in_the_tree(expert, content):
    query = "query ($id: ID) { page(id: $id) { children { title } } }"
    assert "Sisäinen" in _titles(expert(query, id=content.home.pk)["page"]["children"])


def test_an_instruction_does_not_lead_an_expert_to_a_draft_service(expert, content):
    query = "query ($id: ID) { page(id: $id) { ... on ProcessInstructionPage { service { id } } } }"
    assert expert(query, id=content.instruction.pk)["page"]["service"] == {
        "id": str(content.service.pk)
    }
    assert expert(query, id=content.instruction_of_draft.pk)["page"]["service"] is None


def test_a_password_protected_attachment_is_not_delivered_even_to_experts(expert, content):
    query = """query ($id: ID) { page(id: $id) {
        ... on ProcessInstructionPage { attachments { document { title } } }
    } }"""
    attachments = expert(query, id=content.instruction.pk)["page"]["attachments"]
    documents = [attachment["document"] for attachment in attachments]
    assert {"title": "Hakulomake"} in documents
    assert {"title": content.internal_document.title} in documents
    assert {"title": content.secret_document.title} not in documents


def test_a_provider_editor_sees_no_internal_content(provider_editor, content):
    titles = _titles(provider_editor(PAGES)["pages"])
    assert "Työkokeilu" in titles
    assert not titles & _hidden_titles(content)
    assert _titles(provider_editor(DOCUMENTS)["documents"]) == {"Hakulomake"}


def test_a_redirect_to_an_internal_page_is_not_listed_for_anonymous_callers(anonymous, expert):
    query = "{ redirects { oldPath newUrl } }"
    assert [redirect["oldPath"] for redirect in anonymous(query)["redirects"]] == ["/vanha-palvelu"]
    assert {redirect["oldPath"] for redirect in expert(query)["redirects"]} == {
        "/vanha-palvelu",
        "/vanha-ohje",
    }


def test_a_tag_only_a_restricted_document_carries_is_listed_only_for_experts(
    anonymous, expert, content
):
    query = "query ($id: ID) { tags { id name } tag(id: $id) { name } }"
    tag = content.internal_document.tags.get()
    assert anonymous(query, id=tag.pk) == {"tags": [], "tag": None}
    assert expert(query, id=tag.pk) == {
        "tags": [{"id": str(tag.pk), "name": tag.name}],
        "tag": {"name": tag.name},
    }


def test_the_policy_answers_the_same_for_single_objects_and_querysets(content, role_user):
    from django.contrib.auth.models import AnonymousUser

    for user in (AnonymousUser(), role_user("expert"), role_user("administrator")):
        pages = visibility.visible_pages(user)
        for page in (content.service, content.draft_service, content.instruction):
            assert visibility.can_view_page(user, page) == pages.filter(pk=page.pk).exists()
        documents = visibility.visible_documents(user)
        for document in (content.internal_document, content.secret_document):
            assert visibility.can_view_document(user, document) == (
                documents.filter(pk=document.pk).exists()
            )
    assert visibility.can_view_page(role_user("administrator"), content.internal_guide)
    assert not visibility.can_view_page(AnonymousUser(), content.internal_guide)


# --- The whole schema, every root field and every field below it --------------------

# A word in hidden and public text alike, and every hidden marker at once.
SEARCHES = ("ohjaus", " ".join(HIDDEN_MARKERS))

# Root fields the walk cannot run because it cannot fill a required argument.
# Today it fills them all; a root field added later with an argument it cannot
# fill must be named here, with the reason, instead of escaping the walk.
UNWALKED_ROOT_FIELDS = frozenset()

# Fields below the root that the walk leaves out for a required argument: none
# today; one added later must be named here, with the reason.
UNFILLED_FIELDS = frozenset()

# Root fields that answer every walk run with an error: favourites need a
# signed-in user (UNAUTHENTICATED); translation status is for editors
# (administrators, producers, translators), not experts; background data is a
# client's own, signed in with strong identification (CLIENT_NOT_SIGNED_IN).
ALWAYS_FAILING_FOR_ANONYMOUS = frozenset(
    {"favouriteLists", "favouriteList", "translationStatus", "myBackgroundData"}
)
ALWAYS_FAILING_FOR_EXPERTS = frozenset({"translationStatus", "myBackgroundData"})


@pytest.fixture
def indexed(content):
    """The search indices hold the content (the database backend indexes on save)."""
    reindex()
    return content


@dataclass
class Probe:
    content: Content
    expert: object
    favourite_list: object

    def arguments(self, argument, kind):
        """Values to try for a root field's argument: aimed at the hidden content."""
        content = self.content
        hidden_pages = [
            content.draft_service,
            content.instruction,
            content.instruction_of_draft,
            content.internal_guide,
            content.internal_section,
            content.area_page,
        ]
        pages = [*hidden_pages, content.service]
        if argument == "id":
            return {
                "page": [page.pk for page in pages],
                "DocumentObjectType": [
                    content.internal_document.pk,
                    content.secret_document.pk,
                    content.public_document.pk,
                ],
                "CollectionObjectType": [
                    content.internal_document.collection_id,
                    content.secret_document.collection_id,
                ],
                "FavouriteList": [self.favourite_list.pk],
            }.get(kind, [])
        return {
            "query": SEARCHES,
            "searchQuery": SEARCHES,
            "locale": ["fi", "sv"],
            "key": [page.specific.key for page in pages if hasattr(page.specific, "key")]
            + QUESTIONNAIRE_KEYS,
            "slug": [page.slug for page in pages],
            "urlPath": [page.url_path.removeprefix("/home") for page in pages],
            "contentType": [
                "guides.ProcessInstructionPage",
                "guides.GuidePage",
                "catalogue.ServicePage",
            ],
            "parent": [page.pk for page in hidden_pages],
            "ancestor": [page.pk for page in hidden_pages],
            "collection": [
                content.internal_document.collection_id,
                content.secret_document.collection_id,
            ],
            "token": [self.favourite_list.share_token, "not-a-token"],
            "hostname": ["localhost"],
            "kinds": [Literal("[INSTRUCTION, GUIDE, ATTACHMENT]")],
            "filter": [
                Literal(f'{{categories: ["{content.draft_category}"]}}'),
                Literal('{organisations: ["kela"], audience: EMPLOYER}'),
            ],
            # Clients the draft service would suit (recommendations).
            "profile": [
                Literal(f'{{serviceNeeds: ["{content.draft_category}"]}}'),
                Literal("{audience: EMPLOYER}"),
                Literal("{age: 30}"),
            ],
            "area": ["091"],
            "audience": [Literal("EMPLOYER"), Literal("PERSON")],
        }.get(argument, [])


@pytest.fixture
def probe(indexed, role_user, settings):
    """The content, and an expert with a shared favourite list that holds the draft service."""
    from favourites.models import FavouriteList

    expert = role_user("expert")
    favourite_list = FavouriteList.objects.create_for(expert, "Asiakkaalle")
    favourite_list.add(indexed.service)
    favourite_list.add(indexed.draft_service)  # e.g. unpublished after it was added
    favourite_list.share()
    # Landing pages that feature the draft beside a public service.
    from guidance.models import AreaLandingPage, AudienceLandingPage

    for landing in (
        AreaLandingPage.objects.get(employment_area__code="091", locale__language_code="fi"),
        AudienceLandingPage.objects.get(audience="employer", locale__language_code="fi"),
    ):
        for order, service in enumerate((indexed.draft_service, indexed.service)):
            landing.featured_services.create(service=service, sort_order=order)
        landing.save_revision().publish()
    # The cost estimate (cms.graphql_guards) multiplies by the limit of every
    # list a field sits in, as if each list were full: with limit 100 on
    # nested lists a walk query is estimated in the millions, while the
    # fixture holds a few dozen objects. Smaller limits would keep the estimate
    # down by leaving objects unread, so the probe raises the ceiling instead.
    settings.GRAPHQL_MAX_COST = 10**12
    # Likewise the walk calls each root field many times in one query (aliases),
    # and aliases sibling fragments' fields of different shapes.
    settings.GRAPHQL_MAX_ROOT_FIELDS = settings.GRAPHQL_MAX_ALIASES = 10**6
    return Probe(indexed, expert, favourite_list)


def _hidden_ids_for_anonymous(content):
    """Every page Wagtail itself calls not live or not public, and the restricted documents."""
    public = Page.objects.live().public().values("pk")
    pages = Page.objects.exclude(pk__in=public).values_list("pk", flat=True)
    documents = (content.internal_document, content.secret_document)
    return {("page", str(pk)) for pk in pages} | {
        ("document", str(document.pk)) for document in documents
    }


def test_no_field_of_the_schema_shows_hidden_content_to_anonymous_callers(probe):
    walk = schema_walk.walk(probe.arguments)

    hidden = _hidden_ids_for_anonymous(probe.content)
    assert probe.content.hidden_from_anonymous <= hidden
    delivered = walk.delivered()
    assert walk.leaks(HIDDEN_MARKERS) == []
    assert {item: delivered[item] for item in delivered.keys() & hidden} == {}
    assert walk.malformed == []
    assert walk.unwalked == UNWALKED_ROOT_FIELDS
    assert walk.unfilled == UNFILLED_FIELDS
    assert walk.always_failing == ALWAYS_FAILING_FOR_ANONYMOUS
    # The walk did read the public content, through many fields.
    for marker in PUBLIC_MARKERS:
        assert walk.showing(marker), marker
    assert ("page", str(probe.content.service.pk)) in delivered
    assert ("document", str(probe.content.public_document.pk)) in delivered


def test_an_expert_walking_the_schema_reads_internal_content_but_no_drafts(probe):
    """The same walk finds what it looks for when the caller may see it."""
    walk = schema_walk.walk(probe.arguments, probe.expert)

    content = probe.content
    never = {("page", str(content.draft_service.pk)), ("document", str(content.secret_document.pk))}
    delivered = walk.delivered()
    assert walk.leaks(NEVER_DELIVERED_MARKERS) == []
    assert {item: delivered[item] for item in delivered.keys() & never} == {}
    assert walk.malformed == []
    assert walk.unwalked == UNWALKED_ROOT_FIELDS
    assert walk.always_failing == ALWAYS_FAILING_FOR_EXPERTS
    for marker in INTERNAL_MARKERS:
        assert walk.showing(marker), marker
    assert ("page", str(content.instruction.pk)) in delivered
    assert ("page", str(content.internal_guide.pk)) in delivered
    assert ("document", str(content.internal_document.pk)) in delivered


# --- Counts and facets ----------------------------------------------------------------

SERVICE_COUNTS = """query ($text: String, $filter: ServiceFilter) {
  services(query: $text, filter: $filter, limit: 100) {
    totalCount
    items { id }
    facets {
      municipalities { value count } categories { value count }
      lifeSituations { value count } methods { value count } languages { value count }
      organisations { value count } audience { value count }
      free { value count } accessible { value count }
    }
  }
}"""

SITE_SEARCH_COUNTS = """query ($text: String!) {
  siteSearch(query: $text, limit: 100) { totalCount kindCounts { kind count } }
}"""


def _public_facets():
    """The facets of the services Wagtail itself calls live and public, counted by hand."""
    from catalogue.models import ServicePage

    services = list(ServicePage.objects.live().public())
    terms = {
        "municipalities": "code",
        "categories": "slug",
        "lifeSituations": "slug",
        "methods": "slug",
        "languages": "slug",
    }
    related = {"lifeSituations": "life_situations"}
    facets = {
        name: Counter(
            value
            for service in services
            for value in getattr(service, related.get(name, name)).values_list(key, flat=True)
        )
        for name, key in terms.items()
    }
    facets["organisations"] = Counter(service.get_parent().specific.key for service in services)
    facets["audience"] = Counter(service.audience.upper() for service in services)
    facets["free"] = Counter(str(service.free).lower() for service in services)
    facets["accessible"] = Counter(str(service.accessible).lower() for service in services)
    return len(services), facets


def _counted(facets):
    return {
        name: Counter({b["value"]: b["count"] for b in buckets}) for name, buckets in facets.items()
    }


def test_counts_and_facets_count_only_public_services_for_anonymous_callers(indexed):
    content = indexed
    ask = _caller()
    total, facets = _public_facets()
    assert total == 2

    services = ask(SERVICE_COUNTS)["services"]
    assert services["totalCount"] == total
    assert _counted(services["facets"]) == facets

    # Only the draft has this category: nothing to count, nothing to show.
    draft_only = ask(SERVICE_COUNTS, filter={"categories": [content.draft_category]})["services"]
    assert draft_only["totalCount"] == 0
    assert all(buckets == [] for buckets in draft_only["facets"].values())

    # "ohjaus" is in the public service, the draft and the draft's new revision.
    searched = ask(SERVICE_COUNTS, text="ohjaus")["services"]
    assert searched["totalCount"] == 1
    assert searched["items"] == [{"id": str(content.service.pk)}]
    assert ask(SERVICE_COUNTS, text=SEARCHES[1])["services"]["totalCount"] == 0


def _kind_counts(result):
    return {row["kind"]: row["count"] for row in result["kindCounts"] if row["count"]}


def test_site_search_counts_only_what_the_caller_may_see(indexed, role_user):
    anonymous, expert = _caller(), _caller(role_user("expert"))

    # "ohjaus": the public service and guide; the instructions, the internal
    # guide, the draft and the draft revision of the service carry it too.
    result = anonymous(SITE_SEARCH_COUNTS, text="ohjaus")["siteSearch"]
    assert _kind_counts(result) == {"SERVICE": 1, "GUIDE": 1}
    assert result["totalCount"] == 2
    result = anonymous(SITE_SEARCH_COUNTS, text=SEARCHES[1])["siteSearch"]
    assert (_kind_counts(result), result["totalCount"]) == ({}, 0)

    result = expert(SITE_SEARCH_COUNTS, text="ohjaus")["siteSearch"]
    assert _kind_counts(result) == {"SERVICE": 1, "INSTRUCTION": 2, "GUIDE": 2}
    result = expert(SITE_SEARCH_COUNTS, text=SEARCHES[1])["siteSearch"]
    assert _kind_counts(result) == {"INSTRUCTION": 2, "GUIDE": 1, "ATTACHMENT": 1}
