"""Publish a version of the screening questions from a JSON file (an area's adaptation).

    DJANGO_SETTINGS_MODULE=hiddenharm.web.settings .venv/bin/django-admin \
        publish_screening_questions questions.json

The document is checked (rules.validate_document) and stored as the next version of its
`key` ("default", or a local authority code for one area's own questions); earlier
versions and the screenings answered on them are left as they are.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hiddenharm.safeguarding.screening import rules, services


class Command(BaseCommand):
    help = "Publish the next version of a series of screening questions from a JSON file."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise CommandError(f"cannot read {path}: {e}") from e
        try:
            qset = services.publish_question_set(document)
        except rules.DocumentError as e:
            raise CommandError(f"not published: {e}") from e
        self.stdout.write(f"Published {qset.key!r} version {qset.version}: {qset.title}")
