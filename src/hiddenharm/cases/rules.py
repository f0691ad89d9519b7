"""The HHX-1 validation rules as plain functions, for the forms.

Each mirrors a rule of `shared/spec/extract.md` (the code is given), so that a record saved
through a form is a row the validator accepts. No Django here; tested on their own.
"""

from __future__ import annotations

import datetime as dt

from hiddenharm.extract import codes

EARLIEST_DOB = dt.date(1900, 1, 1)  # HH014
ADULT_AGE = 18  # HH007


def eighteenth_birthday(dob: dt.date) -> dt.date:
    """The day a person turns 18; born on 29 February, they turn 18 on 1 March (reading 8)."""
    try:
        return dob.replace(year=dob.year + ADULT_AGE)
    except ValueError:  # 29 February in a year that has none
        return dt.date(dob.year + ADULT_AGE, 3, 1)


def is_adult_on(dob: dt.date, day: dt.date) -> bool:
    """HH007: an adult on `day`, counting the 18th birthday itself as adult."""
    return day >= eighteenth_birthday(dob)


def episode_date_errors(
    *,
    dob: dt.date | None,
    referred: dt.date | None,
    triaged: dt.date | None = None,
    care_plan_start: dt.date | None = None,
    discharged: dt.date | None = None,
    hh_date: dt.date | None = None,
    today: dt.date,
) -> dict[str, str]:
    """Field -> message, for HH005, HH006, HH007 and HH014 on an episode's dates."""
    errors: dict[str, str] = {}
    given = {
        "referred": referred,
        "triaged": triaged,
        "care_plan_start": care_plan_start,
        "discharged": discharged,
        "hh_date": hh_date,
    }
    for name, value in given.items():
        if value is not None and value > today:
            errors[name] = "The date must be today or in the past"
    if dob is not None and referred is not None and "referred" not in errors:
        if dob > referred:
            errors["referred"] = "The referral date must be after the client's date of birth"
        elif not is_adult_on(dob, referred):
            errors["referred"] = (
                "The client must have been 18 or over when referred (this is an adult service)"
            )
    if referred is not None:
        if triaged is not None and triaged < referred and "triaged" not in errors:
            errors["triaged"] = "The triage date must be on or after the referral date"
        if care_plan_start is not None and care_plan_start < referred:
            errors.setdefault(
                "care_plan_start", "The care plan start must be on or after the referral date"
            )
    if discharged is not None:
        start = care_plan_start or referred
        if start is not None and discharged < start:
            what = "care plan start" if care_plan_start else "referral date"
            errors.setdefault("discharged", f"The discharge date must be on or after the {what}")
    # Stricter than the validator (HH005 checks it only without a care plan start): a form
    # can ask, and items "asked" years before the referral are a typing slip.
    if hh_date is not None and referred and hh_date < referred:
        errors.setdefault("hh_date", "The date recorded must be on or after the referral date")
    return errors


def dob_errors(dob: dt.date | None, today: dt.date) -> str | None:
    if dob is None:
        return None
    if dob < EARLIEST_DOB:
        return "The date of birth must be on or after 1 January 1900"
    if dob > today:
        return "The date of birth must be in the past"
    if not is_adult_on(dob, today):
        return "The client must be 18 or over (this is an adult service)"
    return None


def item_errors(
    *, sex: str, prntstat: str, childwth: int | None, pregnant: str, earlyhlp: list[str]
) -> dict[str, str]:
    """Field -> message for the Hidden Harm items (HH009, HH010, HH011, HW105)."""
    errors: dict[str, str] = {}
    if prntstat and prntstat not in codes.PRNTSTAT:
        errors["prntstat"] = "Choose the client's parental status"
    if childwth is not None and not 0 <= childwth <= codes.CHILDWTH_MAX:
        errors["childwth"] = f"Enter a whole number from 0 to {codes.CHILDWTH_MAX}"
    elif prntstat in codes.PRNTSTAT_LIVING_WITH:
        if childwth is None or childwth == 0:
            errors["childwth"] = (
                "Enter how many children live with the client: you said some or all of "
                "their children do, so it cannot be 0"
            )
    if pregnant and sex == "M":
        errors["pregnant"] = "Pregnancy is not recorded for a male client"
    elif pregnant and pregnant not in codes.PREGNANT:
        errors["pregnant"] = "Choose yes or no"
    exclusive = [c for c in earlyhlp if c in codes.EARLYHLP_EXCLUSIVE]
    if exclusive and len(earlyhlp) > 1:
        label = " or ".join(f"'{codes.EARLYHLP[c]}'" for c in exclusive)
        errors["earlyhlp"] = f"{label} cannot be chosen with another answer"
    bad = [c for c in earlyhlp if c not in codes.EARLYHLP]
    if bad:
        errors["earlyhlp"] = "Choose from the list"
    return errors


def asks_pregnancy(sex: str) -> bool:
    """PREGNANT is asked of female clients only (the seeds: 'Females in treatment only')."""
    return sex == "F"


def review_date_errors(
    revdate: dt.date,
    *,
    care_plan_start: dt.date | None,
    discharged: dt.date | None,
    today: dt.date,
) -> str | None:
    """HH005/HH006 for a review date."""
    if revdate > today:
        return "The review date must be today or in the past"
    if care_plan_start is None:
        return "The care plan has not started: record its start date first"
    if revdate < care_plan_start:
        return "The review date must be on or after the care plan start"
    if discharged is not None and revdate > discharged:
        return "The review date must be on or before the discharge date"
    return None
