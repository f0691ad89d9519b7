"""The code lists' derived definitions (substance group, treatment type)."""

import pytest

from hiddenharm.extract.codes import FILES, SEVERITY, substance_group, treatment_type


@pytest.mark.parametrize(
    ("drugs", "group"),
    [
        (["HEROIN", None, None], "OPIATE"),
        (["ALCOHOL", "METHADONE", None], "OPIATE"),
        (["ALCOHOL", None, None], "ALCOHOL_ONLY"),
        (["ALCOHOL", "ALCOHOL", None], "ALCOHOL_ONLY"),
        (["ALCOHOL", "CRACK", None], "ALCOHOL_NON_OPIATE"),
        (["CANNABIS", None, None], "NON_OPIATE"),
    ],
)
def test_it_derives_the_national_substance_group(drugs, group):
    assert substance_group(drugs) == group


def test_it_treats_only_alcohol_only_as_alcohol_treatment():
    assert treatment_type("ALCOHOL_ONLY") == "alcohol"
    assert {treatment_type(g) for g in ("OPIATE", "NON_OPIATE", "ALCOHOL_NON_OPIATE")} == {"drug"}


def test_it_declares_every_code_of_the_spec():
    assert sorted(SEVERITY) == [f"HH{n:03d}" for n in range(1, 15)] + [
        f"HW{n}" for n in range(101, 106)
    ]
    assert set(FILES) == {"episodes", "reviews", "children"}
    assert FILES["episodes"].required and not FILES["reviews"].required
