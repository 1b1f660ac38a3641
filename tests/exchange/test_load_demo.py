"""Loading the demo content again never overwrites what editors have done."""

from io import StringIO

import pytest
from django.core.management import call_command

from catalogue.models import ServicePage

pytestmark = pytest.mark.django_db

SMALL_DEMO = ["--services", "3", "--organisations", "2"]


def load_demo(*options):
    out = StringIO()
    call_command("load_demo", *SMALL_DEMO, *options, stdout=out)
    return out.getvalue()


def edit_and_publish(service, user, title):
    """What an editor does in the admin: change the title, then publish."""
    service.title = title
    revision = service.save_revision(user=user)
    revision.publish(user=user)
    return revision


@pytest.fixture
def edited_service(site_tree, role_user):
    load_demo()
    editor = role_user("administrator")
    service = ServicePage.objects.get(key="work-trial", locale__language_code="fi")
    revision = edit_and_publish(service, editor, "Työkokeilu (päivitetty)")
    return service, revision


def test_a_second_load_keeps_the_editors_published_version_and_says_nothing_to_do(
    edited_service,
):
    service, revision = edited_service
    revisions = service.revisions.count()

    output = load_demo()

    assert "nothing to do" in output
    service.refresh_from_db()
    assert service.title == "Työkokeilu (päivitetty)"
    assert service.live_revision_id == revision.pk
    assert service.revisions.count() == revisions
    assert service.latest_revision.user is not None


def test_a_second_load_creates_only_what_is_missing(edited_service):
    service, revision = edited_service
    ServicePage.objects.get(key="career-guidance", locale__language_code="fi").delete()

    output = load_demo()

    assert "services: 1 created, 0 updated, 2 unchanged" in output
    assert ServicePage.objects.filter(key="career-guidance").exists()
    service.refresh_from_db()
    assert service.title == "Työkokeilu (päivitetty)"
    assert service.live_revision_id == revision.pk


def test_replacing_the_demo_puts_the_generated_version_back_and_says_so(edited_service):
    service, revision = edited_service

    output = load_demo("--replace-demo")

    assert "Replacing the demo organisations, services, instructions and guides" in output
    assert "services: 0 created, 1 updated, 2 unchanged" in output
    service.refresh_from_db()
    assert service.title == "Työkokeilu"
    assert service.live_revision_id != revision.pk
