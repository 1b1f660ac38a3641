"""Links inside delivered rich text never give away a page the caller may not see."""

import pytest

from catalogue.models import ServicePage
from guides.models import ProcessInstructionPage

pytestmark = pytest.mark.django_db

QUERY = '{ service(key: "work-trial") { description } }'


@pytest.fixture
def linking_service(small_catalogue):
    instruction = ProcessInstructionPage.objects.get(key="work-trial-helsinki")
    draft = ServicePage.objects.get(key="secret-draft")
    public = ServicePage.objects.get(key="career-coaching", locale__language_code="fi")
    service = ServicePage.objects.get(key="work-trial", locale__language_code="fi")
    service.description = (
        f'<p><a linktype="page" id="{instruction.pk}">ohje</a>, '
        f'<a linktype="page" id="{draft.pk}">luonnos</a>, '
        f'<a linktype="page" id="{public.pk}">uravalmennus</a></p>'
    )
    service.save_revision().publish()
    return {"instruction": instruction, "draft": draft, "public": public}


def test_anonymous_rich_text_keeps_link_text_but_not_hidden_addresses(graphql, linking_service):
    html = graphql(QUERY)["data"]["service"]["description"]

    assert "<a>ohje</a>" in html
    assert "<a>luonnos</a>" in html
    assert linking_service["instruction"].url_path.split("/")[-2] not in html
    assert "secret-draft" not in html
    assert f'href="{linking_service["public"].url}"' in html


def test_experts_get_the_link_to_the_instruction(client, graphql, linking_service, role_user):
    client.force_login(role_user("expert"))

    html = graphql(QUERY)["data"]["service"]["description"]

    assert f'href="{linking_service["instruction"].url}"' in html
    assert "<a>luonnos</a>" in html
