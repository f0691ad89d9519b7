"""The agency directory as people see it: the entries, and every organisation of the
application that has no entry of its own (so that none is typed twice)."""

from __future__ import annotations

from hiddenharm.accounts.models import Organisation
from hiddenharm.partnership.models import DirectoryEntry

ORGANISATION_KIND = {
    Organisation.Kind.PROVIDER: DirectoryEntry.Kind.TREATMENT,
    Organisation.Kind.CSC: DirectoryEntry.Kind.CSC_FRONT_DOOR,
    Organisation.Kind.MATERNITY: DirectoryEntry.Kind.MATERNITY,
    Organisation.Kind.PARTNERSHIP: DirectoryEntry.Kind.PARTNERSHIP,
}
KIND_ORDER = {k: i for i, k in enumerate(DirectoryEntry.Kind.values)}


def directory_kind(o: Organisation) -> str:
    return ORGANISATION_KIND[Organisation.Kind(o.kind)].value


def _entry_row(e: DirectoryEntry) -> dict:
    return {
        "id": e.pk,
        "entry": e,
        "name": e.display_name,
        "organisation": e.organisation,
        "kind": e.kind,
        "kind_label": e.get_kind_display(),
        "description": e.description,
        "phone": e.phone,
        "email": e.email,
        "website": e.website,
        "address": e.address,
        "hours": e.hours,
        "la_codes": e.la_codes
        or ([e.organisation.la_code] if e.organisation_id and e.organisation.la_code else []),
        "areas_description": e.areas_description,
    }


def _organisation_row(o: Organisation) -> dict:
    kind = ORGANISATION_KIND[Organisation.Kind(o.kind)]
    return {
        "id": None,
        "entry": None,
        "name": o.name,
        "organisation": o,
        "kind": kind.value,
        "kind_label": kind.label,
        "description": "",
        "phone": "",
        "email": "",
        "website": "",
        "address": "",
        "hours": "",
        "la_codes": [o.la_code] if o.la_code else [],
        "areas_description": "",
    }


def _matches(row: dict, words: list[str]) -> bool:
    text = " ".join(
        str(row[k])
        for k in ("name", "kind_label", "description", "address", "areas_description", "hours")
    )
    text = (text + " " + " ".join(row["la_codes"])).casefold()
    return all(w in text for w in words)


def listing(q: str = "", kind: str = "", la: str = "", *, public_only: bool = False):
    """The directory's rows, filtered: every word of `q` somewhere in a row, a kind, an area."""
    entries = DirectoryEntry.objects.filter(active=True).select_related("organisation")
    if public_only:
        entries = entries.filter(public=True)
    rows = [_entry_row(e) for e in entries]
    if not public_only:
        orgs = Organisation.objects.filter(directory_entry__isnull=True)
        rows += [_organisation_row(o) for o in orgs]
    words = q.casefold().split()
    rows = [
        r
        for r in rows
        if (not kind or r["kind"] == kind)
        and (not la or la in r["la_codes"])
        and (not words or _matches(r, words))
    ]
    return sorted(rows, key=lambda r: (KIND_ORDER[r["kind"]], r["name"].casefold()))
