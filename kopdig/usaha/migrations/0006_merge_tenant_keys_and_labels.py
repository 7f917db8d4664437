from django.db import migrations


class Migration(migrations.Migration):
    """Joins the composite tenant keys (issue 10) and the audit labels / profile consent
    (issue 15), written side by side."""

    dependencies = [
        ("usaha", "0004_tenant_foreign_keys_core"),
        ("usaha", "0005_usaha_profile_show_health"),
    ]
    operations = []
