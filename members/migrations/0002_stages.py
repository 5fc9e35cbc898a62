from django.db import migrations
from django.utils.translation import gettext_noop as _

# 学段. Names are English msgids, shown in Chinese through the translation catalogue.
STAGES = [
    ("preschool", _("Preschool"), 10),
    ("primary", _("Primary"), 20),
    ("junior", _("Junior secondary"), 30),
    ("senior", _("Senior secondary"), 40),
]


def create_stages(apps, schema_editor):
    Stage = apps.get_model("members", "Stage")
    for code, name, order in STAGES:
        Stage.objects.update_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunPython(create_stages, migrations.RunPython.noop)]
