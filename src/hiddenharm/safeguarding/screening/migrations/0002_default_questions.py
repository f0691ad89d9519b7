"""The first version of the screening questions, from the committed JSON file."""

import json
from pathlib import Path

from django.db import migrations

FILE = Path(__file__).resolve().parent.parent / "questions" / "default-v1.json"


def load(apps, schema_editor):
    QuestionSet = apps.get_model("screening", "QuestionSet")
    document = json.loads(FILE.read_text(encoding="utf-8"))
    QuestionSet.objects.get_or_create(
        key=document["key"],
        version=document["version"],
        defaults={"title": document["title"], "document": document},
    )


def unload(apps, schema_editor):
    apps.get_model("screening", "QuestionSet").objects.filter(key="default", version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
