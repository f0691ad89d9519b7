"""The one way the case records are written: a function per change, each checking its rule
and writing the record and its audit event in one transaction. Views, the import and the
demo call these; they never call `create()` or `save()` themselves.

- `common`: the version check (`Conflict`), unique clashes as form errors (`Clash`)
- `clients`, `episodes`, `children`: the writes
- `imports`: an extract loaded with its audit event
- `reads`: what the forms and pages read (children living with a client, last values)
"""

from hiddenharm.cases.services.children import (
    add_child,
    correct_child,
    correct_child_status,
    correct_pregnancy,
    record_child_status,
    record_pregnancy,
)
from hiddenharm.cases.services.clients import assign, correct_client, create_client
from hiddenharm.cases.services.common import Clash, Conflict, audit_change
from hiddenharm.cases.services.episodes import (
    correct_episode,
    correct_review,
    discharge,
    open_episode,
    record_review,
    save_start_items,
)
from hiddenharm.cases.services.imports import import_file, preview_file
from hiddenharm.cases.services.reads import ITEM_FIELDS, children_living_with, last_items

__all__ = [
    "Clash",
    "Conflict",
    "ITEM_FIELDS",
    "add_child",
    "assign",
    "audit_change",
    "children_living_with",
    "correct_child",
    "correct_child_status",
    "correct_client",
    "correct_episode",
    "correct_pregnancy",
    "correct_review",
    "create_client",
    "discharge",
    "import_file",
    "preview_file",
    "last_items",
    "open_episode",
    "record_child_status",
    "record_pregnancy",
    "record_review",
    "save_start_items",
]
