"""The fixed role groups; per-page and per-collection rights come with the site tree."""

from django.db import migrations

from cms.roles import ADMINISTRATORS, EXPERTS, PRODUCERS_PREFIX, TRANSLATORS


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    EmploymentArea = apps.get_model("catalogue", "EmploymentArea")
    Locale = apps.get_model("wagtailcore", "Locale")

    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    submit_translation = Permission.objects.get(
        content_type__app_label="wagtail_localize", codename="submit_translation"
    )

    # Wagtail's generic starter groups have rights on the whole tree; roles replace them.
    Group.objects.filter(name__in=["Editors", "Moderators"]).delete()

    Group.objects.get_or_create(name=ADMINISTRATORS)[0].permissions.add(access_admin)
    Group.objects.get_or_create(name=EXPERTS)
    Group.objects.get_or_create(name=TRANSLATORS)[0].permissions.add(
        access_admin, submit_translation
    )

    finnish = Locale.objects.get(language_code="fi")
    for area in EmploymentArea.objects.filter(locale=finnish):
        group, _ = Group.objects.get_or_create(name=f"{PRODUCERS_PREFIX}: {area.name}")
        group.permissions.add(access_admin)
        # Translations of the area point at the same group.
        EmploymentArea.objects.filter(translation_key=area.translation_key).update(
            producer_group=group
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0002_seed_taxonomies"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
