"""Load the shipped rubrics (KKPKK and Perdep 06/2016) from kopdig/health/data/."""

from types import SimpleNamespace

from django.db import migrations

from kopdig.health.rubrics import shipped_rubrics, write_rubric
from kopdig.health.scoring import validate_rubric


def load(apps, schema_editor):
    models = SimpleNamespace(**{name: apps.get_model("health", name)
                                for name in ("Rubric", "Aspect", "Indicator", "ChecklistItem")})
    for data in shipped_rubrics():
        problems = validate_rubric(data)
        if problems:
            raise ValueError("; ".join(str(p) for p in problems))
        if not models.Rubric.objects.filter(code=data["code"], version=data["version"]).exists():
            write_rubric(models, data)


def unload(apps, schema_editor):
    apps.get_model("health", "Rubric").objects.filter(code__in=["kkpkk", "perdep-06-2016"], version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("health", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
