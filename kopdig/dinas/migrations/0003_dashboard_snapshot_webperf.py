from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dinas", "0002_ratrecord_source_kopdig")]

    operations = [
        migrations.CreateModel(
            name="DashboardSnapshot",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=200, unique=True)),
                ("day", models.DateField()),
                ("fingerprint", models.CharField(max_length=400)),
                ("data", models.BinaryField()),
                ("built_at", models.DateTimeField(auto_now=True)),
            ],
        ),
    ]
