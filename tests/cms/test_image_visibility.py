"""Images follow the documents' collection rule: restricted collections are for signed-in users."""

import pytest
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection

pytestmark = pytest.mark.django_db

QUERY = "query($id: ID) { images(limit: 100) { title } image(id: $id) { title } }"


@pytest.fixture
def images(site_tree):
    model = get_image_model()
    public = model.objects.create(
        title="Julkinen kuva",
        file=get_test_image_file(),
        collection=Collection.objects.get(name="Liitteet"),
    )
    internal = model.objects.create(
        title="Sisäinen kaavio",
        file=get_test_image_file(),
        collection=Collection.objects.get(name="Sisäiset liitteet"),
    )
    return public, internal


def test_anonymous_callers_get_no_image_from_a_restricted_collection(graphql, images):
    _, internal = images

    data = graphql(QUERY, {"id": internal.pk})["data"]

    assert [image["title"] for image in data["images"]] == ["Julkinen kuva"]
    assert data["image"] is None


def test_experts_get_images_from_the_internal_collection(client, graphql, images, role_user):
    client.force_login(role_user("expert"))
    _, internal = images

    data = graphql(QUERY, {"id": internal.pk})["data"]

    assert {image["title"] for image in data["images"]} == {"Julkinen kuva", "Sisäinen kaavio"}
    assert data["image"] == {"title": "Sisäinen kaavio"}
