"""What each caller sees through the GraphQL delivery (cms.visibility, cms.delivery_schema).

Anonymous callers see published public content; experts, producers and
administrators also see the internal section and restricted attachments;
nobody sees drafts.
"""

import json
from dataclasses import dataclass
from io import StringIO

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from graphql import GraphQLUnionType, is_non_null_type
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from cms import visibility


@dataclass
class Content:
    home: object
    service: object
    draft_service: object
    instruction: object
    instruction_of_draft: object
    public_guide: object
    internal_guide: object
    public_document: object
    internal_document: object
    secret_document: object
    organisation: object

    @property
    def hidden_from_anonymous(self):
        """(kind, id) of everything an anonymous caller must never receive."""
        return {
            ("page", str(self.draft_service.pk)),
            ("page", str(self.instruction.pk)),
            ("page", str(self.instruction_of_draft.pk)),
            ("page", str(self.internal_guide.pk)),
            ("document", str(self.internal_document.pk)),
            ("document", str(self.secret_document.pk)),
        }


def _document(title, collection):
    return get_document_model().objects.create(
        title=title, file=ContentFile(b"%PDF-1.4", name=f"{title}.pdf"), collection=collection
    )


@pytest.fixture
def content(site_tree):
    from catalogue.models import OrganisationPage, ServiceAttachment, ServicePage
    from guides.models import GuidePage, InstructionAttachment, ProcessInstructionPage

    organisation = site_tree.catalogue.add_child(
        instance=OrganisationPage(title="Kela", key="kela", slug="kela", kind="kela")
    )
    service = organisation.add_child(
        instance=ServicePage(
            title="Työkokeilu", key="work-trial", slug="tyokokeilu", responsible_email="v@x.fi"
        )
    )
    draft_service = organisation.add_child(
        instance=ServicePage(title="Luonnos", key="draft", slug="luonnos", live=False)
    )
    public_document = _document("Hakulomake", site_tree.attachments)
    internal_document = _document("Sisäinen muistio", site_tree.internal_attachments)
    secret = Collection.get_first_root_node().add_child(instance=Collection(name="Salaiset"))
    CollectionViewRestriction.objects.create(
        collection=secret, restriction_type=CollectionViewRestriction.PASSWORD, password="x"
    )
    secret_document = _document("Salasanan takana", secret)
    service.attachments = [ServiceAttachment(document=internal_document)]
    service.save_revision().publish()
    area_page = next(iter(site_tree.area_pages.values()))
    instruction = area_page.add_child(
        instance=ProcessInstructionPage(
            title="Työkokeilun ohjaus",
            key="work-trial-guidance",
            slug="tyokokeilun-ohjaus",
            service=service,
            attachments=[
                InstructionAttachment(document=public_document),
                InstructionAttachment(document=internal_document),
                InstructionAttachment(document=secret_document),
            ],
        )
    )
    instruction_of_draft = area_page.add_child(
        instance=ProcessInstructionPage(
            title="Luonnoksen ohjaus", key="draft-guidance", slug="luonnos", service=draft_service
        )
    )
    public_guide = site_tree.guides.add_child(
        instance=GuidePage(title="Asiakasopas", key="client-guide", slug="asiakasopas")
    )
    internal_guide = site_tree.internal_guides.add_child(
        instance=GuidePage(title="Sisäinen opas", key="internal-guide", slug="sisainen-opas")
    )
    return Content(
        home=site_tree.home,
        service=service,
        draft_service=draft_service,
        instruction=instruction,
        instruction_of_draft=instruction_of_draft,
        public_guide=public_guide,
        internal_guide=internal_guide,
        public_document=public_document,
        internal_document=internal_document,
        secret_document=secret_document,
        organisation=organisation,
    )


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


def test_anonymous_callers_see_public_services_and_guides_only(anonymous):
    titles = _titles(anonymous(PAGES)["pages"])
    assert {"Työkokeilu", "Asiakasopas"} <= titles
    assert not titles & {"Luonnos", "Työkokeilun ohjaus", "Sisäinen opas", "Sisäinen"}


def test_anonymous_callers_cannot_open_an_instruction_by_id(anonymous, content):
    query = "query ($id: ID) { page(id: $id) { id } }"
    assert anonymous(query, id=content.instruction.pk)["page"] is None
    assert anonymous(query, id=content.service.pk)["page"] == {"id": str(content.service.pk)}


def test_anonymous_callers_cannot_open_an_internal_guide_by_slug_or_url(anonymous):
    assert anonymous('{ page(slug: "sisainen-opas") { id } }')["page"] is None
    assert (
        anonymous('{ page(urlPath: "/sisainen/sisaiset-ohjeet/sisainen-opas/") { id } }')["page"]
        is None
    )


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
    assert not descendants & {"Luonnos", "Työkokeilun ohjaus", "Sisäinen opas", "Prosessiohjeet"}


def test_siblings_do_not_reveal_drafts(anonymous, content):
    query = "query ($id: ID) { page(id: $id) { siblings { title } parent { title } } }"
    service = anonymous(query, id=content.service.pk)["page"]
    assert service["siblings"] == []
    assert service["parent"] == {"title": "Kela"}


def test_experts_see_instructions_internal_guides_and_restricted_documents(expert, content):
    titles = _titles(expert(PAGES)["pages"])
    assert {"Työkokeilu", "Asiakasopas", "Työkokeilun ohjaus", "Sisäinen opas"} <= titles
    assert "Luonnos" not in titles
    assert _titles(expert(DOCUMENTS)["documents"]) == {"Hakulomake", "Sisäinen muistio"}
    query = "query ($id: ID) { page(id: $id) { title parent { title } } }"
    assert expert(query, id=content.instruction.pk)["page"]["title"] == "Työkokeilun ohjaus"
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
    assert {"title": "Sisäinen muistio"} in documents
    assert {"title": "Salasanan takana"} not in documents


def test_a_provider_editor_sees_no_internal_content(provider_editor, content):
    titles = _titles(provider_editor(PAGES)["pages"])
    assert "Työkokeilu" in titles
    assert not titles & {"Luonnos", "Työkokeilun ohjaus", "Sisäinen opas"}
    assert _titles(provider_editor(DOCUMENTS)["documents"]) == {"Hakulomake"}


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


# --- Every root field, including ones added later ---------------------------------


def _named(graphql_type):
    while hasattr(graphql_type, "of_type"):
        graphql_type = graphql_type.of_type
    return graphql_type


def _selection(graphql_type):
    """``__typename`` plus ``id`` wherever the type (or a union member) has one."""
    if isinstance(graphql_type, GraphQLUnionType):
        members = " ".join(
            f"... on {member.name} {{ id }}"
            for member in graphql_type.types
            if "id" in member.fields
        )
        return f"{{ __typename {members} }}"
    return "{ __typename id }" if "id" in graphql_type.fields else "{ __typename }"


def _delivers_content(graphql_type, page_types):
    if isinstance(graphql_type, GraphQLUnionType):
        return any(_delivers_content(member, page_types) for member in graphql_type.types)
    return graphql_type.name in page_types | {"PageInterface", "DocumentObjectType"}


def _walk_root_fields(ask, probe_ids=()):
    """Run every content-returning root field that needs no arguments; returns what came back.

    Each field runs bare, with a search term where it takes one, and asked for
    each of ``probe_ids`` where it takes an ``id``.
    """
    from grapple.schema import schema

    graphql_schema = schema.graphql_schema
    page_interface = graphql_schema.get_type("PageInterface")
    page_types = {t.name for t in graphql_schema.get_implementations(page_interface).objects}
    page_types.add("Page")
    returned, walked = set(), set()
    for name, field in graphql_schema.query_type.fields.items():
        named = _named(field.type)
        if not hasattr(named, "fields") and not hasattr(named, "types"):
            continue
        if not _delivers_content(named, page_types):
            continue
        if any(is_non_null_type(arg.type) for arg in field.args.values()):
            continue
        runs = [""]
        for arg_name in ("query", "searchQuery"):
            if arg_name in field.args:
                runs.append(f'({arg_name}: "ohjaus")')
        if "limit" in field.args:
            runs = [run or "(limit: 100)" for run in runs]
        if "id" in field.args:
            runs += [f'(id: "{probe_id}")' for probe_id in sorted(probe_ids)]
        for arguments in runs:
            data = ask(f"{{ {name}{arguments} {_selection(named)} }}").get(name)
            items = data if isinstance(data, list) else [data]
            for item in filter(None, items):
                if "id" not in item:
                    continue
                kind = "document" if item["__typename"] == "DocumentObjectType" else None
                kind = "page" if item["__typename"] in page_types else kind
                if kind:
                    returned.add((kind, item["id"]))
        walked.add(name)
    return walked, returned


@pytest.fixture
def indexed(content):
    """The search index holds the content (the database backend indexes on save)."""
    if settings.ELASTICSEARCH_URL:
        call_command("update_index", stdout=StringIO())
    return content


def test_no_root_field_delivers_hidden_content_to_anonymous_callers(indexed):
    content = indexed
    hidden_ids = {object_id for _, object_id in content.hidden_from_anonymous}
    walked, returned = _walk_root_fields(_caller_allowing_null_search(), hidden_ids)
    assert {"pages", "page", "documents", "document", "search"} <= walked
    assert ("page", str(content.service.pk)) in returned
    assert not returned & content.hidden_from_anonymous


def test_the_root_field_walk_does_find_internal_content_for_experts(indexed, role_user):
    """The walk collects the ids it claims to: an expert's walk reaches internal content."""
    content = indexed
    ask = _caller_allowing_null_search(role_user("expert"))
    walked, returned = _walk_root_fields(ask, {str(content.internal_guide.pk)})
    assert ("page", str(content.instruction.pk)) in returned
    assert ("page", str(content.internal_guide.pk)) in returned
    assert ("document", str(content.internal_document.pk)) in returned
    assert ("page", str(content.draft_service.pk)) not in returned


def _caller_allowing_null_search(user=None):
    """A caller for the walk: a list field that answers null without arguments is not an error."""
    client = Client()
    if user is not None:
        client.force_login(user)

    def ask(query):
        response = client.post(
            "/graphql/", data=json.dumps({"query": query}), content_type="application/json"
        )
        body = response.json()
        for error in body.get("errors", []):
            assert error["message"].startswith("Cannot return null"), error
        return body.get("data") or {}

    return ask
