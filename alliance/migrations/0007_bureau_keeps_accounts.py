"""The bureau keeps the sign-in accounts of schools' people and integrations in the admin: give
an existing bureau role the three account permissions. A new one gets them from
alliance.services.bureau_role_ensure."""

from django.db import migrations

BUREAU_GROUP_NAME = "bureau"  # alliance.services.BUREAU_GROUP_NAME, as of this migration
CODENAMES = ["view_user", "add_user", "change_user"]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    bureau = Group.objects.filter(name=BUREAU_GROUP_NAME).first()
    if bureau is None:
        return
    wanted = Permission.objects.filter(content_type__app_label="auth", codename__in=CODENAMES)
    bureau.permissions.add(*wanted)


class Migration(migrations.Migration):
    dependencies = [
        ("alliance", "0006_member_cap_validator"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
