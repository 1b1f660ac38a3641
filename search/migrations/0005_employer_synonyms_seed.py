"""The first synonym groups of the employer view: employers' words for what services call otherwise."""

from django.db import migrations

SEEDS = [
    ("fi", "rekrytointituki, palkkatuki", "Työnantajan sana palkkatuelle"),
    ("sv", "rekryteringsstöd, lönesubvention", "Arbetsgivarens ord för lönesubvention"),
    ("en", "recruitment subsidy, pay subsidy", "The employer's word for pay subsidy"),
]


def seed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for language, terms, note in SEEDS:
        Synonym.objects.get_or_create(
            language=language, audience="employer", terms=terms, defaults={"note": note}
        )


def unseed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for language, terms, _note in SEEDS:
        Synonym.objects.filter(language=language, audience="employer", terms=terms).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0004_synonym_audience")]

    operations = [migrations.RunPython(seed, unseed)]
