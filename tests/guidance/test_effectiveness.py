"""Effectiveness figures: the CSV import, the figures on services, their scores, and coverage."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from catalogue.models import ServicePage
from guidance import effectiveness
from guidance.effectiveness_import import EffectivenessImportError, import_figures
from guidance.models import EffectivenessFigure

pytestmark = pytest.mark.django_db

HEADER = "service,measure,value,unit,source,date,periodStart,periodEnd\n"
GOOD = (
    HEADER
    + "work-trial,employed-3m,42.5,percent,URA-seuranta,2025-02-15,2024-01-01,2024-12-31\n"
    + "work-trial,satisfaction,4.2,,Asiakaskysely,,2024-01-01,2024-12-31\n"
    + "career-coaching,studies,18,percent,,,2024-07-01,2024-12-31\n"
)


def finnish(key):
    return ServicePage.objects.get(key=key, locale=Locale.get_default())


def figures():
    return sorted(
        (f.service.key, f.measure, f.value, f.unit, f.period_start.isoformat())
        for f in EffectivenessFigure.objects.select_related("service")
    )


def errors_of(csv_text):
    with pytest.raises(EffectivenessImportError) as raised:
        import_figures(csv_text.encode())
    return raised.value.messages


# --- The CSV import ---------------------------------------------------------------


def test_a_good_file_creates_each_figure_on_the_finnish_service(small_catalogue):
    counts = import_figures(GOOD.encode())

    assert counts == {"created": 3, "updated": 0, "unchanged": 0}
    assert figures() == [
        ("career-coaching", "studies", 18.0, "percent", "2024-07-01"),
        ("work-trial", "employed-3m", 42.5, "percent", "2024-01-01"),
        # Left without a unit, a measure takes its usual one.
        ("work-trial", "satisfaction", 4.2, "scale-1-5", "2024-01-01"),
    ]
    figure = EffectivenessFigure.objects.get(measure="employed-3m")
    assert figure.service.locale == Locale.get_default()
    assert (figure.source, figure.date.isoformat()) == ("URA-seuranta", "2025-02-15")


def test_importing_the_same_file_again_updates_and_never_duplicates(small_catalogue):
    import_figures(GOOD.encode())

    assert import_figures(GOOD.encode()) == {"created": 0, "updated": 0, "unchanged": 3}
    changed = GOOD.replace("42.5", "47")
    assert import_figures(changed.encode()) == {"created": 0, "updated": 1, "unchanged": 2}
    assert EffectivenessFigure.objects.count() == 3
    assert EffectivenessFigure.objects.get(measure="employed-3m").value == 47


def test_a_finnish_spreadsheet_file_with_semicolons_decimal_commas_and_finnish_dates_is_read(
    small_catalogue,
):
    text = (
        "\ufeffservice;measure;value;periodStart;periodEnd\n"
        "youth-workshop;employed-6m;33,3;1.1.2024;30.6.2024\n"
    )

    import_figures(text.encode("utf-8"))

    figure = EffectivenessFigure.objects.get()
    assert (figure.value, figure.period_start.isoformat(), figure.period_end.isoformat()) == (
        33.3,
        "2024-01-01",
        "2024-06-30",
    )


def test_each_kind_of_error_names_the_row_the_service_and_the_column_and_nothing_is_applied(
    small_catalogue,
):
    import_figures(GOOD.encode())
    before = figures()
    text = (
        HEADER
        + "no-such-service,employed-3m,40,percent,,,2024-01-01,2024-12-31\n"
        + "work-trial,employed-3m,lots,percent,,,2024-01-01,2024-12-31\n"
        + "work-trial,employed-6m,40,percent,,,2024-13-01,2024-12-31\n"
        + "work-trial,studies,40,percent,,,2024-06-01,2024-05-31\n"
        + "work-trial,happiness,40,percent,,,2024-01-01,2024-12-31\n"
        + "career-coaching,employed-3m,140,percent,,,2024-01-01,2024-12-31\n"
        + "career-coaching,completed,80,kg,,,2024-01-01,2024-12-31\n"
        + ",completed,80,percent,,,2024-01-01,2024-12-31\n"
        # A good row among bad ones is not imported either.
        + "youth-workshop,completed,80,percent,,,2024-01-01,2024-12-31\n"
    )

    assert errors_of(text) == [
        'row 2 [no-such-service].service: unknown service "no-such-service"',
        'row 3 [work-trial].value: not a number: "lots"',
        'row 4 [work-trial].periodStart: not a date (YYYY-MM-DD or D.M.YYYY): "2024-13-01"',
        "row 5 [work-trial].periodEnd: before periodStart (2024-06-01)",
        'row 6 [work-trial].measure: unknown measure "happiness" (known: employed-3m, '
        "employed-6m, studies, completed, satisfaction, participants)",
        "row 7 [career-coaching].value: 140 is above 100, the most a value in percent can be",
        'row 8 [career-coaching].unit: unknown unit "kg" (known: percent, scale-1-5, '
        "scale-0-10, count)",
        "row 9.service: required",
    ]
    assert figures() == before


def test_a_row_repeating_another_rows_figure_is_an_error(small_catalogue):
    text = (
        HEADER
        + "work-trial,employed-3m,40,percent,,,2024-01-01,2024-12-31\n"
        + "work-trial,employed-3m,41,percent,,,2024-01-01,2024-12-31\n"
    )

    assert errors_of(text) == [
        "row 3 [work-trial].measure: the same service, measure and period as row 2"
    ]


def test_the_header_must_name_the_required_columns_and_no_unknown_ones(small_catalogue):
    assert errors_of("service,measure,value,start,periodEnd\n") == [
        "row 1.start: unknown column (columns: service, measure, value, periodStart, "
        "periodEnd, unit, source, date)",
        "row 1.periodStart: missing column",
    ]


def test_a_file_that_is_not_utf8_is_refused_by_row(small_catalogue):
    raw = (HEADER + "work-trial,employed-3m,40,percent,Työ,,2024-01-01,2024-12-31\n").encode(
        "latin-1"
    )

    with pytest.raises(EffectivenessImportError) as raised:
        import_figures(raw)

    assert raised.value.messages == ["row 2: not valid UTF-8 (byte 0xF6); save the file as UTF-8"]


def test_a_dry_run_reports_what_would_change_and_writes_nothing(small_catalogue, tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text(GOOD, encoding="utf-8")

    call_command("import_effectiveness", str(path), "--dry-run", stdout=(out := _Output()))

    assert EffectivenessFigure.objects.count() == 0
    assert "figures: 3 would be created, 0 would be updated, 0 would be unchanged" in out.text
    assert "nothing was written" in out.text


def test_the_command_imports_and_prints_the_errors_of_a_bad_file(small_catalogue, tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(HEADER + "work-trial,employed-3m,x,,,,2024-01-01,2024-12-31\n")

    call_command("import_effectiveness", str(good), stdout=(out := _Output()))
    assert "figures: 3 were created" in out.text
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_effectiveness", str(bad), stderr=(err := _Output()))
    assert 'row 2 [work-trial].value: not a number: "x"' in err.text
    assert EffectivenessFigure.objects.count() == 3


class _Output:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


# --- The admin ---------------------------------------------------------------------


def test_a_producer_imports_a_file_in_the_admin_after_checking_it(
    small_catalogue, client, role_user
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(role_user("producer", area_code="091"))
    upload = lambda: SimpleUploadedFile("luvut.csv", GOOD.encode(), content_type="text/csv")  # noqa: E731

    checked = client.post("/admin/effectiveness-import/", {"file": upload(), "check": "1"})
    assert EffectivenessFigure.objects.count() == 0
    assert "uusia 3" in checked.content.decode()

    client.post("/admin/effectiveness-import/", {"file": upload(), "import": "1"})
    assert EffectivenessFigure.objects.count() == 3
    listing = client.get("/admin/effectiveness_figures/?service=work-trial").content.decode()
    assert "Työkokeilu" in listing
    assert "Uravalmennus" not in listing


def test_a_producer_finds_a_services_figures_from_its_editor_and_by_searching(
    small_catalogue, client, role_user
):
    import_figures(GOOD.encode())
    work_trial = finnish("work-trial")
    client.force_login(role_user("producer", area_code="091"))

    editor = client.get(f"/admin/pages/{work_trial.pk}/edit/").content.decode()
    found = client.get("/admin/effectiveness_figures/?q=Uravalmennus").content.decode()

    assert "/admin/effectiveness_figures/?service=work-trial" in editor
    assert "Uravalmennus" in found and "Työkokeilu" not in found
    assert client.get("/admin/effectiveness_figures/new/").status_code == 200


def test_the_admin_import_shows_every_error_and_imports_nothing(small_catalogue, client, role_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(role_user("producer", area_code="091"))
    bad = HEADER + "work-trial,employed-3m,x,,,,2024-01-01,2024-12-31\n"
    upload = SimpleUploadedFile("luvut.csv", bad.encode(), content_type="text/csv")

    page = client.post("/admin/effectiveness-import/", {"file": upload, "import": "1"})

    assert "row 2 [work-trial].value: not a number: &quot;x&quot;" in page.content.decode()
    assert EffectivenessFigure.objects.count() == 0


def test_provider_editors_and_experts_neither_see_nor_import_figures(
    small_catalogue, client, role_user
):
    for user in (
        role_user("provider-editor", organisation_key="helsinki"),
        role_user("expert"),
    ):
        client.force_login(user)
        # Wagtail turns a refusal into a redirect to the dashboard with a message.
        # (and an expert, who has no admin at all, into the sign-in page).
        for url in (
            "/admin/effectiveness_figures/",
            "/admin/effectiveness_figures/new/",
            "/admin/effectiveness-import/",
            "/admin/reports/effectiveness-coverage/",
        ):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response.url in ("/admin/", f"/admin/login/?next={url}"), url
        dashboard = client.get("/admin/").content.decode()
        assert "/admin/effectiveness_figures/" not in dashboard
        assert "/admin/reports/effectiveness-coverage/" not in dashboard


def test_a_producer_adds_a_figure_in_the_admin_and_an_end_before_the_start_is_refused(
    small_catalogue, client, role_user
):
    client.force_login(role_user("producer", area_code="049"))
    form = {
        "service": finnish("career-coaching").pk,
        "measure": "employed-3m",
        "value": "35",
        "unit": "percent",
        "source": "",
        "date": "",
        "period_start": "2024-06-01",
        "period_end": "2024-01-31",
    }

    refused = client.post("/admin/effectiveness_figures/new/", form)
    assert "Jakson loppu ei voi olla ennen alkua." in refused.content.decode()
    assert not EffectivenessFigure.objects.exists()

    client.post("/admin/effectiveness_figures/new/", {**form, "period_end": "2024-12-31"})
    assert figures() == [("career-coaching", "employed-3m", 35.0, "percent", "2024-06-01")]


# --- On services in GraphQL ----------------------------------------------------------

FIGURES_QUERY = """
query ($key: String!, $locale: String) {
  service(key: $key, locale: $locale) {
    locale
    effectivenessFigures { measure label value unit source date periodStart periodEnd }
  }
}
"""


def test_every_language_of_a_service_shows_its_figures_with_labels_in_that_language(
    small_catalogue, graphql
):
    import_figures(GOOD.encode())

    finnish_page = graphql(FIGURES_QUERY, {"key": "work-trial"})["data"]["service"]
    swedish_page = graphql(FIGURES_QUERY, {"key": "work-trial", "locale": "sv"})["data"]["service"]

    assert finnish_page["effectivenessFigures"] == [
        {
            "measure": "employed-3m",
            "label": "työllistyneet 3 kk kuluttua",
            "value": 42.5,
            "unit": "percent",
            "source": "URA-seuranta",
            "date": "2025-02-15",
            "periodStart": "2024-01-01",
            "periodEnd": "2024-12-31",
        },
        {
            "measure": "satisfaction",
            "label": "asiakastyytyväisyys",
            "value": 4.2,
            "unit": "scale-1-5",
            "source": "Asiakaskysely",
            "date": None,
            "periodStart": "2024-01-01",
            "periodEnd": "2024-12-31",
        },
    ]
    assert swedish_page["locale"] == "sv"
    assert [f["label"] for f in swedish_page["effectivenessFigures"]] == [
        "sysselsatta efter 3 månader",
        "kundnöjdhet",
    ]
    assert [f["value"] for f in swedish_page["effectivenessFigures"]] == [42.5, 4.2]


def test_figures_of_a_draft_service_are_not_shown_to_anyone(small_catalogue, graphql):
    import_figures(
        (HEADER + "secret-draft,employed-3m,90,percent,,,2024-01-01,2024-12-31\n").encode()
    )

    answer = graphql(FIGURES_QUERY, {"key": "secret-draft"})
    listed = graphql("{ services(limit: 50) { items { key effectivenessFigures { value } } } }")

    assert answer["data"]["service"] is None
    assert "secret-draft" not in [s["key"] for s in listed["data"]["services"]["items"]]


def test_a_list_of_services_costs_the_same_queries_with_figures_and_feedback_whatever_its_length(
    small_catalogue, client
):
    import json

    import_figures(GOOD.encode())
    query = """
    query ($limit: Int) { services(limit: $limit, order: TITLE) { items {
      key effectivenessFigures { measure label value } feedbackSummary { count meanRating }
    } } }
    """

    def queries(limit):
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                "/graphql/",
                json.dumps({"query": query, "variables": {"limit": limit}}),
                content_type="application/json",
            )
        assert "errors" not in response.json()
        assert len(response.json()["data"]["services"]["items"]) == limit
        return len(captured)

    queries(1)  # fills the process's caches of locales and restrictions
    assert queries(1) == queries(4)


# --- Scores for ranking --------------------------------------------------------------


def test_a_score_is_the_mean_of_each_measures_latest_figure_normalised_by_its_unit(
    small_catalogue,
):
    import_figures(
        (
            HEADER
            + "work-trial,employed-3m,20,percent,,,2023-01-01,2023-12-31\n"  # older: ignored
            + "work-trial,employed-3m,60,percent,,,2024-01-01,2024-12-31\n"  # 0.6
            + "work-trial,satisfaction,4,scale-1-5,,,2024-01-01,2024-12-31\n"  # 0.75
            + "work-trial,participants,120,count,,,2024-01-01,2024-12-31\n"  # not scored
            + "career-coaching,satisfaction,8,scale-0-10,,,2024-01-01,2024-12-31\n"  # 0.8
        ).encode()
    )
    ServicePage.objects.filter(key="youth-workshop").update(effectiveness=35)
    # A hand-kept number gives way to measured figures.
    ServicePage.objects.filter(key="career-coaching").update(effectiveness=5)
    swedish_work_trial = ServicePage.objects.get(key="work-trial", locale__language_code="sv")

    found = effectiveness.scores(
        [swedish_work_trial, "career-coaching", "youth-workshop", "startup-money", "nothing"]
    )

    assert found == {
        "work-trial": pytest.approx((0.6 + 0.75) / 2),
        "career-coaching": pytest.approx(0.8),
        "youth-workshop": pytest.approx(0.35),
    }
    assert effectiveness.scores([]) == {}


# --- Coverage ------------------------------------------------------------------------


@pytest.fixture
def measured_catalogue(small_catalogue):
    """Of the four live services, one has a priority number and two an effectiveness figure
    (one measured, one hand-kept); the draft has both but is not live."""
    ServicePage.objects.exclude(key__in=["work-trial", "secret-draft"]).update(priority=0)
    ServicePage.objects.filter(key="youth-workshop").update(effectiveness=70)
    import_figures(
        (
            HEADER
            + "career-coaching,employed-3m,40,percent,,,2024-01-01,2024-12-31\n"
            + "career-coaching,studies,10,percent,,,2024-01-01,2024-12-31\n"
            + "secret-draft,employed-3m,90,percent,,,2024-01-01,2024-12-31\n"
        ).encode()
    )


def test_coverage_counts_each_live_service_once_against_the_target(measured_catalogue):
    coverage = effectiveness.coverage()

    total = coverage.total
    assert (total.services, total.with_priority, total.with_effectiveness, total.with_measured) == (
        4,
        1,
        2,
        1,
    )
    assert (total.priority_share, total.effectiveness_share) == (25.0, 50.0)
    assert (coverage.priority_met, coverage.effectiveness_met) == (True, True)
    by_organisation = {
        row.label: (row.services, row.with_priority, row.with_effectiveness)
        for row in coverage.organisations
    }
    assert by_organisation == {
        "Espoon työllisyys": (1, 0, 1),
        "Helsingin työllisyyspalvelut": (2, 1, 1),
        "Yrityssuomi": (1, 0, 0),
    }


def test_the_coverage_report_shows_producers_the_shares_and_the_target(
    measured_catalogue, client, role_user
):
    client.force_login(role_user("producer", area_code="091"))

    html = client.get("/admin/reports/effectiveness-coverage/").content.decode()

    assert "/admin/reports/effectiveness-coverage/" in client.get("/admin/").content.decode()
    assert "25,0 %" in html
    assert "50,0 %" in html
    assert "20 %" in html
    assert "Helsingin työllisyyspalvelut" in html
