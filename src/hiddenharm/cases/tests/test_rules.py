import datetime as dt

from hiddenharm.cases import rules

D = dt.date
TODAY = D(2026, 11, 21)


def test_it_counts_the_18th_birthday_as_adult():
    assert rules.is_adult_on(D(2000, 5, 1), D(2018, 5, 1))
    assert not rules.is_adult_on(D(2000, 5, 1), D(2018, 4, 30))


def test_it_makes_a_29_february_child_adult_on_1_march():
    assert rules.eighteenth_birthday(D(2004, 2, 29)) == D(2022, 3, 1)
    assert not rules.is_adult_on(D(2004, 2, 29), D(2022, 2, 28))
    assert rules.is_adult_on(D(2004, 2, 29), D(2022, 3, 1))


def test_it_puts_each_date_problem_on_its_field():
    errors = rules.episode_date_errors(
        dob=D(1980, 1, 1),
        referred=D(2025, 1, 10),
        triaged=D(2025, 1, 9),
        care_plan_start=D(2025, 1, 5),
        discharged=D(2025, 1, 1),
        today=TODAY,
    )
    assert set(errors) == {"triaged", "care_plan_start", "discharged"}


def test_it_refuses_a_referral_under_18_or_in_the_future():
    assert (
        "18"
        in rules.episode_date_errors(dob=D(2010, 1, 1), referred=D(2025, 1, 1), today=TODAY)[
            "referred"
        ]
    )
    assert (
        "past"
        in rules.episode_date_errors(dob=D(1980, 1, 1), referred=D(2027, 1, 1), today=TODAY)[
            "referred"
        ]
    )


def test_it_measures_discharge_from_referral_when_treatment_never_started():
    errors = rules.episode_date_errors(
        dob=D(1980, 1, 1), referred=D(2025, 1, 10), discharged=D(2025, 1, 9), today=TODAY
    )
    assert "referral" in errors["discharged"]


def test_it_refuses_a_dob_before_1900():
    assert rules.dob_errors(D(1899, 12, 31), TODAY)
    assert rules.dob_errors(D(1980, 1, 1), TODAY) is None


def test_it_checks_the_items_together():
    ok = dict(sex="F", prntstat="11", childwth=2, pregnant="N", earlyhlp=["EH", "CIN"])
    assert rules.item_errors(**ok) == {}
    assert "childwth" in rules.item_errors(**{**ok, "childwth": 0})
    assert "childwth" in rules.item_errors(**{**ok, "childwth": None})
    assert "childwth" in rules.item_errors(**{**ok, "childwth": 31})
    assert "pregnant" in rules.item_errors(**{**ok, "sex": "M", "pregnant": "Y"})
    assert "earlyhlp" in rules.item_errors(**{**ok, "earlyhlp": ["NONE", "EH"]})
    # other people's children in the household: allowed (a warning in the validator)
    assert rules.item_errors(**{**ok, "prntstat": "14", "childwth": 2}) == {}


def test_it_asks_pregnancy_of_women_only():
    assert rules.asks_pregnancy("F")
    assert not any(rules.asks_pregnancy(s) for s in "MXZ")


def test_it_keeps_review_dates_within_the_episode():
    start, end = D(2025, 1, 1), D(2025, 6, 1)
    assert (
        rules.review_date_errors(D(2025, 3, 1), care_plan_start=start, discharged=end, today=TODAY)
        is None
    )
    assert rules.review_date_errors(
        D(2024, 12, 1), care_plan_start=start, discharged=None, today=TODAY
    )
    assert rules.review_date_errors(
        D(2025, 7, 1), care_plan_start=start, discharged=end, today=TODAY
    )
    assert rules.review_date_errors(
        D(2025, 3, 1), care_plan_start=None, discharged=None, today=TODAY
    )
