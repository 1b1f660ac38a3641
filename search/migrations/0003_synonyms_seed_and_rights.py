"""The first synonym groups, and the administrators' rights to maintain them.

Rights are granted to the Pääkäyttäjät group (cms.roles) rather than relying on
superuser status alone, like the group's page rights. The permission rows are
created here because Django would create them only after all migrations have run.
"""

from django.db import migrations

from cms.roles import ADMINISTRATORS

SEEDS = [
    ("fi", "TE, TE-palvelut, työ- ja elinkeinopalvelut", "Työ- ja elinkeinopalvelut"),
    ("fi", "TYP, työllistymistä edistävä monialainen yhteispalvelu", "Monialainen yhteispalvelu"),
    ("fi", "palkkatuki, palkkatukityö", ""),
    ("sv", "TE, arbets- och näringstjänster", "Arbets- och näringstjänster"),
    ("en", "TE, employment and economic development services", "TE services"),
]
ACTIONS = ("add", "change", "delete", "view")


def _permissions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="search", model="synonym")
    return [
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_synonym",
            defaults={"name": f"Can {action} synonyymiryhmä"},
        )[0]
        for action in ACTIONS
    ]


def seed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    Group = apps.get_model("auth", "Group")
    for language, terms, note in SEEDS:
        Synonym.objects.get_or_create(language=language, terms=terms, defaults={"note": note})
    Group.objects.get_or_create(name=ADMINISTRATORS)[0].permissions.add(*_permissions(apps))


def unseed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    Group = apps.get_model("auth", "Group")
    for language, terms, _note in SEEDS:
        Synonym.objects.filter(language=language, terms=terms).delete()
    group = Group.objects.filter(name=ADMINISTRATORS).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_synonym"),
        ("catalogue", "0003_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
