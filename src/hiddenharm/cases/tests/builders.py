"""Records for tests that build their own data beside the persona world."""

from __future__ import annotations

import datetime as dt

from hiddenharm.cases.models import Client


def new_client(provider, ref: str, **fields) -> Client:
    """A client of `provider` with reference `ref`, in the provider's area (X.Y., a man born
    1 May 1990, unless `fields` say otherwise)."""
    values = {
        "first_initial": "X",
        "surname_initial": "Y",
        "dob": dt.date(1990, 5, 1),
        "sex": "M",
        "la": provider.la_code,
        **fields,
    }
    return Client.objects.create(provider=provider, client_ref=ref, **values)
