"""The bureau reads every group's action items in the admin (the to-do card links there): give
an existing bureau role the two view permissions. A new one gets them from
alliance.services.bureau_role_ensure."""

from django.db import migrations

BUREAU_GROUP_NAME = "bureau"  # alliance.services.BUREAU_GROUP_NAME, as of this migration
CODENAMES = ["view_actionitem", "view_progressnote"]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    bureau = Group.objects.filter(name=BUREAU_GROUP_NAME).first()
    if bureau is None:
        return
    wanted = Permission.objects.filter(content_type__app_label="governance", codename__in=CODENAMES)
    bureau.permissions.add(*wanted)


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0007_change_history_names"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
