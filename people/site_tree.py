"""The fixed top of the page tree and the rights attached to it.

    Home (fi; sv and en translations for the translators)
    ├─ Palvelut (catalogue) → organisations → services
    ├─ Ohjeet ja oppaat (public guides)
    └─ Sisäinen (view-restricted to experts, producers, administrators)
         ├─ Prosessiohjeet → one folder per employment area → instructions
         └─ Sisäiset ohjeet (internal guides)

Collections: "Liitteet" (public attachments, one child per organisation)
and "Sisäiset liitteet" (view-restricted like the internal section).

Built on demand (demo loading, import, tests) and idempotent, so an empty
database stays empty until content arrives and reruns repair missing rights.
Apps above people that keep pages of their own in the fixed tree (guidance's
landing pages) build them when ``site_tree_ensured`` is sent, in the same
transaction, with the tree as ``tree``.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction
from django.dispatch import Signal
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Locale,
    Page,
    PageViewRestriction,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from catalogue.models import AreaReviewTask, EmploymentArea, HomePage, ServiceCatalogueIndexPage
from cms import roles
from guides.models import (
    GuideIndexPage,
    InstructionAreaPage,
    InstructionIndexPage,
    InternalSectionPage,
)

# Sent at the end of ensure_site_tree(), with ``tree`` (a SiteTree).
site_tree_ensured = Signal()

PUBLICATION_WORKFLOW = "Palvelun julkaisu"
PRODUCER_REVIEW_TASK = "Sisällöntuottajan tarkistus"


@dataclass
class SiteTree:
    home: HomePage
    catalogue: ServiceCatalogueIndexPage
    guides: Page
    internal: Page
    instructions: Page
    internal_guides: Page
    area_pages: dict  # employment area code → InstructionAreaPage
    attachments: Collection
    internal_attachments: Collection


def producer_groups():
    return Group.objects.filter(
        pk__in=EmploymentArea.objects.exclude(producer_group=None).values("producer_group")
    )


def readers_of_internal_content():
    """Groups admitted by the view restrictions on internal pages and documents."""
    return [
        Group.objects.get(name=roles.ADMINISTRATORS),
        Group.objects.get(name=roles.EXPERTS),
        *producer_groups(),
    ]


def _child(parent, model, **fields):
    """The parent's only child of this type, created (and published) if missing."""
    existing = model.objects.child_of(parent).filter(**fields.pop("lookup", {})).first()
    if existing is not None:
        return existing
    return parent.add_child(instance=model(locale=parent.locale, **fields))


def _collection(parent, name):
    existing = parent.get_children().filter(name=name).first()
    return existing or parent.add_child(instance=Collection(name=name))


def _ensure_home(locale):
    home = HomePage.objects.filter(locale=locale).first()
    if home is not None:
        return home
    root = Page.get_first_root_node()
    # Wagtail's initial migration leaves a bare "Welcome" page (slug "home") as
    # the default site's root; it has no place here. Deleting it also deletes
    # that Site, which is recreated below.
    for page in root.get_children().filter(
        content_type__app_label="wagtailcore", content_type__model="page"
    ):
        page.delete()
    home = root.add_child(instance=HomePage(title="Palvelumanuaali", slug="home", locale=locale))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": home,
            "site_name": "Palvelumanuaali",
        },
    )
    return home


def _ensure_translated_homes(home):
    """Swedish and English roots, so translated pages have a tree to live in."""
    homes = []
    for locale in Locale.objects.exclude(pk=home.locale_id):
        translated = home.get_translation_or_none(locale)
        if translated is None:
            translated = home.copy_for_translation(locale)
        if not translated.live:
            translated.save_revision().publish()
        homes.append(translated)
    return homes


def _ensure_workflow(catalogue, producer_groups):
    workflow, _ = Workflow.objects.get_or_create(name=PUBLICATION_WORKFLOW)
    task = AreaReviewTask.objects.filter(name=PRODUCER_REVIEW_TASK).first()
    if task is None:
        task = AreaReviewTask.objects.create(name=PRODUCER_REVIEW_TASK)
    task.groups.set(producer_groups)
    WorkflowTask.objects.filter(workflow=workflow).exclude(task=task).delete()
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=catalogue, defaults={"workflow": workflow})
    return workflow


def _confine_default_workflow(translated_homes):
    """Keep Wagtail's default workflow off the Finnish tree.

    Wagtail's migrations attach a "Moderators approval" workflow to the root,
    which every page without a nearer workflow inherits; the roles migration
    removed its Moderators group, so only superusers can approve its task.
    Finnish guides and instructions are published directly by producers, so
    the workflow moves to the translated homes, where it remains the way a
    translator submits a translation to the administrators.
    """
    on_root = WorkflowPage.objects.filter(page=Page.get_first_root_node()).first()
    if on_root is None:
        return
    for translated_home in translated_homes:
        WorkflowPage.objects.get_or_create(
            page=translated_home, defaults={"workflow": on_root.workflow}
        )
    on_root.delete()


@transaction.atomic
def ensure_site_tree():
    """Build (or repair) the fixed tree, collections, restrictions, rights and workflow."""
    locale = Locale.get_default()
    home = _ensure_home(locale)
    catalogue = _child(home, ServiceCatalogueIndexPage, title="Palvelut", slug="palvelut")
    guides = _child(
        home, GuideIndexPage, title="Ohjeet ja oppaat", slug="ohjeet", lookup={"slug": "ohjeet"}
    )
    internal = _child(home, InternalSectionPage, title="Sisäinen", slug="sisainen")
    instructions = _child(
        internal, InstructionIndexPage, title="Prosessiohjeet", slug="prosessiohjeet"
    )
    internal_guides = _child(
        internal,
        GuideIndexPage,
        title="Sisäiset ohjeet",
        slug="sisaiset-ohjeet",
        lookup={"slug": "sisaiset-ohjeet"},
    )
    area_pages = {}
    for area in EmploymentArea.objects.filter(locale=locale):
        area_pages[area.code] = _child(
            instructions,
            InstructionAreaPage,
            title=area.name,
            slug=f"alue-{area.code}",
            employment_area=area,
            lookup={"employment_area": area},
        )

    root_collection = Collection.get_first_root_node()
    attachments = _collection(root_collection, "Liitteet")
    internal_attachments = _collection(root_collection, "Sisäiset liitteet")

    readers = readers_of_internal_content()
    restriction, _ = PageViewRestriction.objects.get_or_create(
        page=internal, defaults={"restriction_type": PageViewRestriction.GROUPS}
    )
    restriction.groups.set(readers)
    collection_restriction, _ = CollectionViewRestriction.objects.get_or_create(
        collection=internal_attachments,
        defaults={"restriction_type": CollectionViewRestriction.GROUPS},
    )
    collection_restriction.groups.set(readers)

    administrators = Group.objects.get(name=roles.ADMINISTRATORS)
    roles.grant_pages(administrators, home, roles.EDIT_AND_PUBLISH)
    producers = list(producer_groups())
    for group in producers:
        for page in (catalogue, guides, internal_guides):
            roles.grant_pages(group, page, roles.EDIT_AND_PUBLISH)
        for collection in (attachments, internal_attachments):
            roles.grant_collection(group, collection, roles.DOCUMENT_EDIT)
        roles.grant_collection(group, root_collection, roles.IMAGE_EDIT, "wagtailimages")
    for area in EmploymentArea.objects.filter(locale=locale).exclude(producer_group=None):
        roles.grant_pages(area.producer_group, area_pages[area.code], roles.EDIT_AND_PUBLISH)

    translators = Group.objects.get(name=roles.TRANSLATORS)
    translated_homes = _ensure_translated_homes(home)
    for translated_home in translated_homes:
        roles.grant_pages(translators, translated_home, roles.EDIT)

    _ensure_workflow(catalogue, producers)
    _confine_default_workflow(translated_homes)

    tree = SiteTree(
        home=home,
        catalogue=catalogue,
        guides=guides,
        internal=internal,
        instructions=instructions,
        internal_guides=internal_guides,
        area_pages=area_pages,
        attachments=attachments,
        internal_attachments=internal_attachments,
    )
    site_tree_ensured.send(sender=SiteTree, tree=tree)
    return tree


def ensure_site_root():
    """The service catalogue page (building the tree if needed)."""
    return ensure_site_tree().catalogue
