"""Seed locales (fi, sv, en) and the taxonomies with their translations."""

import uuid

from django.db import migrations

from catalogue import taxonomy_seed as seed

LOCALES = ("fi", "sv", "en")


def seed_taxonomies(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in LOCALES}

    for model_name, rows, pattern in (
        ("ServiceCategory", seed.CATEGORIES, seed.PTV_SERVICE_CLASS),
        ("LifeSituation", seed.LIFE_SITUATIONS, seed.PTV_TARGET_GROUP),
        ("DeliveryMethod", seed.METHODS, ""),
        ("DeliveryLanguage", seed.LANGUAGES, ""),
    ):
        model = apps.get_model("catalogue", model_name)
        for order, row in enumerate(rows):
            translation_key = uuid.uuid4()
            uri = pattern.format(row[4]) if len(row) > 4 and row[4] else ""
            for code, name in zip(LOCALES, row[1:4], strict=True):
                model.objects.get_or_create(
                    locale=locales[code], slug=row[0],
                    defaults={"name": name, "translation_key": translation_key,
                              "national_uri": uri, "sort_order": order},
                )

    EmploymentArea = apps.get_model("catalogue", "EmploymentArea")
    areas = {}
    for code, *names in seed.EMPLOYMENT_AREAS:
        translation_key = uuid.uuid4()
        for locale_code, name in zip(LOCALES, names, strict=True):
            areas[(code, locale_code)], _ = EmploymentArea.objects.get_or_create(
                locale=locales[locale_code], code=code,
                defaults={"name": name, "translation_key": translation_key},
            )

    Municipality = apps.get_model("catalogue", "Municipality")
    for code, fi, sv, en, area in seed.MUNICIPALITIES:
        translation_key = uuid.uuid4()
        for locale_code, name in zip(LOCALES, (fi, sv, en), strict=True):
            Municipality.objects.get_or_create(
                locale=locales[locale_code], code=code,
                defaults={
                    "name": name, "translation_key": translation_key,
                    "employment_area": areas[(area, locale_code)],
                    "national_uri": seed.MUNICIPALITY_URI.format(code),
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed_taxonomies, migrations.RunPython.noop)]
