"""Every validation code on a minimal submission: the problem, and its absence."""

from __future__ import annotations

import datetime as dt

import pyarrow.compute as pc
import pytest


def test_it_accepts_a_valid_submission(submit, problems):
    result = submit([{}], [{}], [{}])
    assert problems(result) == []
    assert result.exit_code() == 0
    assert result.files["episodes.csv"] == {"rows": 1, "accepted": 1, "rejected": 0}


@pytest.mark.parametrize(
    "column",
    ["AGNCY", "LA", "CLIENTID", "EPISODID", "FINITIAL", "SINITIAL", "DOB", "SEX", "DRUG1", "REFLD"],
)
def test_it_rejects_a_blank_required_episode_value_with_hh002(submit, problems, column):
    result = submit([{column: ""}, {"EPISODID": "E2", column: "NA"}])
    assert [p for p in problems(result) if p[3] == "HH002"] == [
        ("episodes.csv", 2, column, "HH002"),
        ("episodes.csv", 3, column, "HH002"),
    ]
    assert result.files["episodes.csv"]["rejected"] == 2


def test_it_treats_only_exact_upper_case_na_as_blank(submit, problems):
    result = submit([{"CLIENTID": "na"}, {"EPISODID": "E2", "CLIENTID": "NA"}])
    assert problems(result, "HH002") == [("episodes.csv", 3, "CLIENTID", "HH002")]
    assert result.tables["episodes"].column("CLIENTID").to_pylist() == ["na"]


def test_it_does_not_require_optional_values(submit, problems):
    blank = {
        c: ""
        for c in (
            "DRUG2",
            "DRUG3",
            "SETTING",
            "TRIAGED",
            "CPLANDT",
            "HHDATE",
            "PRNTSTAT",
            "CHILDWTH",
            "PREGNANT",
            "EARLYHLP",
        )
    }
    result = submit(
        [blank],
        [{"PRNTSTAT": "", "CHILDWTH": ""}],
        [{"CHILDYOB": "", "CHSEX": "", "WHEREABT": "", "CSCSTAT": ""}],
    )
    # the review's REVDATE is not checked against a blank CPLANDT
    assert problems(result) == []


def test_it_requires_review_and_child_keys(submit, problems):
    result = submit([{}], [{"REVDATE": ""}], [{"CHILDREF": "NA", "RECDATE": " "}])
    assert problems(result, "HH002") == [
        ("reviews.csv", 2, "REVDATE", "HH002"),
        ("children.csv", 2, "CHILDREF", "HH002"),
        ("children.csv", 2, "RECDATE", "HH002"),
    ]


@pytest.mark.parametrize(
    ("column", "bad", "good"),
    [
        ("AGNCY", "A-1", "abc123456789"),
        ("AGNCY", "ABCDEFGHIJKLM", "a1"),
        ("LA", "E1000002000", "e10000020"),
        ("FINITIAL", "JO", "j"),
        ("FINITIAL", "ı", "i"),  # a dotless i is not I
        ("SINITIAL", "1", "s"),
        ("SEX", "Q", "x"),
        ("DRUG1", "SPEED", "alcohol"),
        ("DRUG2", "SPEED", "Crack"),
        ("SETTING", "HOME", "prison"),
        ("PRNTSTAT", "16", " 14 "),
        ("PREGNANT", "YES", "y"),
        ("EARLYHLP", "EH;XX", " eh ; cin ;"),
        ("CLIENTID", "X" * 21, "X" * 20),
        ("EPISODID", "E\t1", "E 1"),
        ("CLIENTID", "C\u200b1", "Cé1"),
    ],
)
def test_it_checks_codes_lengths_and_characters_with_hh003(submit, problems, column, bad, good):
    result = submit([{column: bad}, {"EPISODID": "E2", column: good}])
    assert problems(result, "HH003") == [("episodes.csv", 2, column, "HH003")]
    assert result.files["episodes.csv"]["accepted"] == 1


def test_it_upper_cases_codes_but_keeps_the_case_of_references(submit):
    result = submit(
        [
            {
                "AGNCY": "a1",
                "SEX": "f",
                "DRUG1": "heroin",
                "CLIENTID": "c1",
                "EARLYHLP": " eh ; cin ;",
            }
        ]
    )
    row = result.tables["episodes"].to_pylist()[0]
    assert (row["AGNCY"], row["SEX"], row["DRUG1"], row["CLIENTID"]) == ("A1", "F", "HEROIN", "c1")
    assert row["EARLYHLP"] == "EH;CIN"
    assert row["SETTING"] == "COMM"


def test_it_checks_child_columns_with_hh003(submit, problems):
    result = submit(
        [{}],
        None,
        [
            {"CHILDYOB": "15"},
            {"CHILDREF": "K2", "CHSEX": "Q", "WHEREABT": "HOME", "CSCSTAT": "CP"},
            {"CHILDREF": "K3"},
        ],
    )
    assert problems(result, "HH003") == [
        ("children.csv", 2, "CHILDYOB", "HH003"),
        ("children.csv", 3, "CHSEX", "HH003"),
        ("children.csv", 3, "WHEREABT", "HH003"),
        ("children.csv", 3, "CSCSTAT", "HH003"),
    ]


@pytest.mark.parametrize(
    "bad",
    [
        "31/02/2020",
        "1/4/2019",
        "2019-4-01",
        "2019/04/01",
        "20190401",
        "2019-02-29",
        "0000-01-01",
        "01-04-2019",
        "2019-04-01T00:00",
        "00/01/2020",
        "2020-00-10",
        "2020-04-31",
    ],
)
def test_it_refuses_anything_but_the_two_date_forms_with_hh004(submit, problems, bad):
    result = submit([{"TRIAGED": bad}])
    assert problems(result) == [("episodes.csv", 2, "TRIAGED", "HH004")]


def test_it_reads_both_date_forms_as_the_same_date(submit, problems):
    result = submit(
        [
            {"TRIAGED": "05/01/2020"},
            {"EPISODID": "E2", "TRIAGED": "2020-01-05", "DOB": "29/02/1980"},
        ]
    )
    assert problems(result) == []
    assert result.tables["episodes"].column("TRIAGED").to_pylist() == [dt.date(2020, 1, 5)] * 2


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ({"DOB": "2020-01-02"}, "DOB"),
        ({"TRIAGED": "2019-12-31"}, "TRIAGED"),
        ({"CPLANDT": "2019-12-31", "TRIAGED": ""}, "CPLANDT"),
        ({"DISD": "2020-01-09", "DISRSN": "TC"}, "DISD"),
        ({"CPLANDT": "", "DISD": "2019-12-31", "DISRSN": "TC"}, "DISD"),
    ],
)
def test_it_finds_dates_out_of_order_with_hh005(submit, problems, row, column):
    result = submit([row])
    assert ("episodes.csv", 2, column, "HH005") in problems(result)


def test_it_accepts_dates_on_the_same_day(submit, problems):
    same = {
        "DOB": "1980-05-01",
        "REFLD": "2020-01-01",
        "TRIAGED": "2020-01-01",
        "CPLANDT": "2020-01-01",
        "DISD": "2020-01-01",
        "DISRSN": "TC",
    }
    result = submit([same], [{"REVDATE": "2020-01-01"}])
    assert problems(result) == []


def test_it_checks_review_dates_against_the_episode_with_hh005(submit, problems):
    episode = {"CPLANDT": "2020-01-10", "DISD": "2020-06-01", "DISRSN": "TC"}
    result = submit(
        [episode], [{"REVDATE": "2020-01-09"}, {"REVDATE": "2020-06-02"}, {"REVDATE": "2020-06-01"}]
    )
    assert problems(result) == [
        ("reviews.csv", 2, "REVDATE", "HH005"),
        ("reviews.csv", 3, "REVDATE", "HH005"),
    ]


def test_it_finds_dates_after_the_extract_date_with_hh006(submit, problems):
    result = submit(
        [
            {"REFLD": "2026-01-02", "TRIAGED": "", "CPLANDT": ""},
            {"EPISODID": "E2", "REFLD": "2026-01-01", "TRIAGED": "", "CPLANDT": ""},
        ],
        [{"EPISODID": "E2", "REVDATE": "02/01/2026"}],
    )
    assert problems(result, "HH006") == [
        ("episodes.csv", 2, "REFLD", "HH006"),
        ("reviews.csv", 2, "REVDATE", "HH006"),
    ]


def test_it_takes_the_extract_date_from_as_of(submit, problems):
    assert problems(submit([{}], as_of=dt.date(2020, 1, 9)), "HH006") == [
        ("episodes.csv", 2, "CPLANDT", "HH006")
    ]


@pytest.mark.parametrize(
    ("dob", "refld", "minor"),
    [
        ("2002-01-01", "2020-01-01", False),  # 18 on the day
        ("2002-01-02", "2020-01-01", True),
        ("2000-02-29", "2018-02-28", True),  # born on 29 February: 18 on 1 March
        ("2000-02-29", "2018-03-01", False),
        ("29/02/2004", "01/03/2022", False),
    ],
)
def test_it_finds_minors_on_the_referral_date_with_hh007(submit, problems, dob, refld, minor):
    result = submit(
        [{"DOB": dob, "REFLD": refld, "TRIAGED": "", "CPLANDT": ""}], as_of=dt.date(2030, 1, 1)
    )
    assert problems(result) == ([("episodes.csv", 2, "DOB", "HH007")] if minor else [])


def test_it_reports_a_dob_after_refld_as_both_hh005_and_hh007(submit, problems):
    result = submit([{"DOB": "2020-02-01"}])
    assert {p[3] for p in problems(result)} == {"HH005", "HH007"}


def test_it_rejects_every_copy_after_the_first_with_hh008(submit, problems):
    result = submit(
        [
            {"DOB": "bad"},
            {"CLIENTID": "C2"},
            {"EPISODID": "e1"},
            {"AGNCY": "a1"},
            {"EPISODID": ""},
            {"EPISODID": ""},
        ]
    )
    assert problems(result, "HH008") == [
        ("episodes.csv", 3, "EPISODID", "HH008"),
        ("episodes.csv", 5, "EPISODID", "HH008"),
    ]
    # the first copy is the first in file order even though it has its own problem
    assert result.files["episodes.csv"]["accepted"] == 1


def test_it_compares_review_dates_as_dates_for_hh008(submit, problems):
    result = submit(
        [{}], [{"REVDATE": "2020-03-01"}, {"REVDATE": "01/03/2020"}, {"REVDATE": "2020-03-02"}]
    )
    assert problems(result) == [("reviews.csv", 3, "REVDATE", "HH008")]


def test_it_finds_duplicate_child_rows_with_hh008(submit, problems):
    result = submit(
        [{}], None, [{}, {"RECDATE": "01/02/2020"}, {"CHILDREF": "k1"}, {"RECDATE": "2020-02-02"}]
    )
    assert problems(result) == [("children.csv", 3, "RECDATE", "HH008")]


def test_it_finds_pregnant_males_with_hh009_also_on_reviews(submit, problems):
    result = submit(
        [
            {"SEX": "m", "PREGNANT": "y"},
            {"EPISODID": "E2", "SEX": "M", "PREGNANT": "N"},
            {"EPISODID": "E3", "SEX": "F", "PREGNANT": "Y"},
        ],
        [{"EPISODID": "E2", "PREGNANT": "Y"}, {"EPISODID": "E3", "PREGNANT": "Y"}],
    )
    assert problems(result, "HH009") == [
        ("episodes.csv", 2, "PREGNANT", "HH009"),
        ("reviews.csv", 2, "PREGNANT", "HH009"),
    ]


@pytest.mark.parametrize("bad", ["2.0", "31", "-1", "two", "+2", "1e1", "99999999999999999999"])
def test_it_rejects_a_bad_childwth_with_hh010_only(submit, problems, bad):
    result = submit([{"CHILDWTH": bad}, {"EPISODID": "E2"}], [{"EPISODID": "E2", "CHILDWTH": bad}])
    assert problems(result) == [
        ("episodes.csv", 2, "CHILDWTH", "HH010"),
        ("reviews.csv", 2, "CHILDWTH", "HH010"),
    ]


@pytest.mark.parametrize("good", ["0", "30", "03"])
def test_it_accepts_whole_numbers_from_0_to_30(submit, problems, good):
    assert (
        problems(
            submit(
                [
                    {"PRNTSTAT": "13", "CHILDWTH": good if good == "0" else "0"},
                    {"EPISODID": "E2", "PRNTSTAT": "15", "CHILDWTH": good},
                ]
            )
        )
        == []
    )


def test_it_finds_children_living_with_the_client_but_none_counted_with_hh011(submit, problems):
    result = submit(
        [
            {"PRNTSTAT": "11", "CHILDWTH": "0"},
            {"EPISODID": "E2", "PRNTSTAT": "12", "CHILDWTH": "0"},
            {"EPISODID": "E3", "PRNTSTAT": "12", "CHILDWTH": "1"},
        ],
        [{"EPISODID": "E3", "PRNTSTAT": "11", "CHILDWTH": "0"}],
    )
    assert problems(result, "HH011") == [
        ("episodes.csv", 2, "CHILDWTH", "HH011"),
        ("episodes.csv", 3, "CHILDWTH", "HH011"),
        ("reviews.csv", 2, "CHILDWTH", "HH011"),
    ]


def test_it_finds_reviews_and_children_of_missing_or_rejected_episodes_with_hh012(submit, problems):
    episodes = [
        {},
        {"EPISODID": "E2", "CLIENTID": "C2", "SEX": "Q"},
        {"EPISODID": "E3", "CLIENTID": "C3", "SEX": "Q"},
        {"EPISODID": "E4", "CLIENTID": "C3"},
    ]
    reviews = [{}, {"EPISODID": "E2"}, {"EPISODID": "E9"}, {"AGNCY": "B1"}, {"EPISODID": "e1"}]
    children = [{}, {"CLIENTID": "C2"}, {"CLIENTID": "C3"}, {"CLIENTID": "C9"}]
    result = submit(episodes, reviews, children)
    assert problems(result, "HH012") == [
        ("reviews.csv", 3, "EPISODID", "HH012"),
        ("reviews.csv", 4, "EPISODID", "HH012"),
        ("reviews.csv", 5, "EPISODID", "HH012"),
        ("reviews.csv", 6, "EPISODID", "HH012"),
        ("children.csv", 3, "CLIENTID", "HH012"),
        ("children.csv", 5, "CLIENTID", "HH012"),
    ]


def test_it_checks_reviews_against_the_first_row_of_a_duplicated_episode(submit, problems):
    episodes = [
        {"SEX": "Q"},  # E1: its first row is rejected ...
        {"FINITIAL": "K"},  # ... and a later copy is a duplicate (rejected too)
        {"EPISODID": "E2", "CPLANDT": "2020-01-10"},  # E2: the first row is accepted
        {"EPISODID": "E2", "CPLANDT": "2020-05-01"},  # a copy with a later CPLANDT
    ]
    reviews = [{"EPISODID": "E1"}, {"EPISODID": "E2", "REVDATE": "2020-03-01"}]
    result = submit(episodes, reviews)
    assert problems(result) == [
        ("episodes.csv", 2, "SEX", "HH003"),
        ("episodes.csv", 3, "EPISODID", "HH008"),
        ("episodes.csv", 5, "EPISODID", "HH008"),
        ("reviews.csv", 2, "EPISODID", "HH012"),
    ]


def test_it_needs_disd_and_disrsn_together_with_hh013(submit, problems):
    result = submit(
        [
            {"DISD": "2020-02-01"},
            {"EPISODID": "E2", "DISRSN": "XX"},
            {"EPISODID": "E3", "DISD": "bad", "DISRSN": "TC"},
            {"EPISODID": "E4", "DISD": "2020-02-01", "DISRSN": "tc"},
        ]
    )
    assert problems(result, "HH013") == [
        ("episodes.csv", 2, "DISRSN", "HH013"),
        ("episodes.csv", 3, "DISD", "HH013"),
    ]


def test_it_refuses_births_before_1900_with_hh014(submit, problems):
    result = submit([{"DOB": "1899-12-31"}, {"EPISODID": "E2", "DOB": "01/01/1900"}])
    assert problems(result) == [("episodes.csv", 2, "DOB", "HH014")]


def test_it_warns_of_other_childrens_presence_with_hw102(submit, problems):
    result = submit(
        [
            {"PRNTSTAT": "13", "CHILDWTH": "1"},
            {"EPISODID": "E2", "PRNTSTAT": "14", "CHILDWTH": "2"},
            {"EPISODID": "E3", "PRNTSTAT": "15", "CHILDWTH": "2"},
            {"EPISODID": "E4", "PRNTSTAT": "14", "CHILDWTH": "0"},
        ],
        [{"EPISODID": "E2", "PRNTSTAT": "14", "CHILDWTH": "1"}],
    )
    assert problems(result, "HW102") == [
        ("episodes.csv", 2, "CHILDWTH", "HW102"),
        ("episodes.csv", 3, "CHILDWTH", "HW102"),
        ("reviews.csv", 2, "CHILDWTH", "HW102"),
    ]
    assert result.exit_code() == 0  # warnings keep the row


def test_it_warns_of_late_hidden_harm_items_with_hw103(submit, problems):
    result = submit(
        [
            {"CPLANDT": "2020-01-10", "HHDATE": "2020-02-08"},
            {"EPISODID": "E2", "CPLANDT": "2020-01-10", "HHDATE": "07/02/2020"},
            {"EPISODID": "E3", "CPLANDT": "", "HHDATE": "2020-12-01"},
        ]
    )
    assert problems(result) == [("episodes.csv", 2, "HHDATE", "HW103")]


def test_it_warns_once_per_overlapping_pair_on_the_later_episode_with_hw104(submit, problems):
    person = {"FINITIAL": "j", "SINITIAL": "s", "DOB": "01/05/1980", "SEX": "F"}
    episodes = [
        {
            "EPISODID": "E1",
            "CPLANDT": "2020-01-10",
            "DISD": "2020-03-01",
            "DISRSN": "TR",
            "FINITIAL": "J",
        },
        {
            "EPISODID": "E2",
            "CLIENTID": "C2",
            "CPLANDT": "2020-03-01",
            "DISD": "2020-04-01",
            "DISRSN": "TC",
            **person,
        },  # touches E1
        {"EPISODID": "E3", "CPLANDT": "2020-04-02", **person},  # after E2: no overlap
        {"EPISODID": "E4", "AGNCY": "B2", "CPLANDT": "2020-01-10", **person},  # another agency
        {"EPISODID": "E5", "CPLANDT": "2020-01-10", **person, "SEX": "M"},  # another person
        {"EPISODID": "E6", "CPLANDT": "", **person},  # not in treatment
    ]
    result = submit(episodes)
    assert problems(result) == [("episodes.csv", 3, "CPLANDT", "HW104")]


def test_it_reports_an_open_episode_overlapping_a_later_one_with_hw104(submit, problems):
    result = submit(
        [
            {"EPISODID": "E9", "CPLANDT": "2020-06-01", "FINITIAL": "J"},
            {"EPISODID": "E1", "CPLANDT": "2020-01-10", "FINITIAL": "J"},
        ]
    )
    assert problems(result) == [("episodes.csv", 2, "CPLANDT", "HW104")]


def _one_client(n: int, **overrides: str) -> list[dict[str, str]]:
    """n episodes of one client at one agency, one day apart, open unless overridden."""
    start = dt.date(2010, 1, 1)
    return [
        {
            "EPISODID": f"E{i}",
            "FINITIAL": "J",
            "REFLD": "2009-12-01",
            "TRIAGED": "",
            "CPLANDT": (start + dt.timedelta(days=i)).isoformat(),
            **overrides,
        }
        for i in range(n)
    ]


def test_it_reports_every_overlapping_pair_of_a_client_with_few_episodes(submit, problems):
    from hiddenharm.extract.rules import OVERLAP_WINDOW

    n = OVERLAP_WINDOW + 1
    result = submit(_one_client(n))
    assert len(problems(result, "HW104")) == n * (n - 1) // 2


def test_it_caps_hw104_for_a_client_with_thousands_of_episodes(submit, problems):
    """Thousands of overlapping episodes of one client: each is compared with the
    OVERLAP_WINDOW before it, not with every other (millions of pairs)."""
    from hiddenharm.extract.rules import OVERLAP_WINDOW

    n = 3000
    result = submit(_one_client(n))
    found = result.problems.filter(pc.equal(result.problems.column("code"), "HW104")).to_pylist()
    k = OVERLAP_WINDOW
    assert len(found) == sum(min(i, k) for i in range(n))
    by_line: dict[int, list[int]] = {}
    for p in found:  # "... overlaps episode E<i> (line <l>, ..."
        earlier = int(p["message"].split(" (line ")[1].split(",")[0])
        by_line.setdefault(p["line"], []).append(earlier)
    # Episode i is on line i + 2 and is paired with the k episodes before it.
    assert by_line[2 + n - 1] == list(range(2 + n - 1 - k, 2 + n - 1))
    assert 2 not in by_line  # the first has nothing before it
    assert result.files["episodes.csv"]["rejected"] == 0


def test_it_still_finds_a_long_open_episode_beyond_the_cap(submit, problems):
    """The first episode is open; the next ones are closed the day they start, so they
    overlap only it: the last one, far beyond the window, is still paired with the first."""
    from hiddenharm.extract.rules import OVERLAP_WINDOW

    n = OVERLAP_WINDOW + 20
    rows = _one_client(n)
    for row in rows[1:]:
        row.update(DISD=row["CPLANDT"], DISRSN="TC")
    result = submit(rows)
    found = result.problems.filter(pc.equal(result.problems.column("code"), "HW104")).to_pylist()
    last = [p["message"] for p in found if p["line"] == n + 1]
    assert len(last) == 1 and "overlaps episode E0 (line 2," in last[0]
    assert sorted(p["line"] for p in found) == list(range(3, n + 2))


def test_it_warns_of_none_or_unk_with_other_codes_with_hw105(submit, problems):
    result = submit(
        [
            {"EARLYHLP": "NONE;UNK"},
            {"EPISODID": "E2", "EARLYHLP": "eh;none"},
            {"EPISODID": "E3", "EARLYHLP": "NONE;NONE"},
            {"EPISODID": "E4", "EARLYHLP": "EH;CIN"},
        ],
        [{"EARLYHLP": "UNK; CPP"}],
    )
    assert problems(result, "HW105") == [
        ("episodes.csv", 2, "EARLYHLP", "HW105"),
        ("episodes.csv", 3, "EARLYHLP", "HW105"),
        ("reviews.csv", 2, "EARLYHLP", "HW105"),
    ]


def test_it_reports_warnings_on_rejected_rows_too(submit, problems):
    result = submit([{"PRNTSTAT": "13", "CHILDWTH": "1", "SEX": "Q"}])
    assert {p[3] for p in problems(result)} == {"HH003", "HW102"}
    assert result.files["episodes.csv"]["rejected"] == 1


def test_it_reports_missing_columns_once_each_as_fatal_and_skips_the_other_files(submit, problems):
    result = submit("AGNCY,la,CLIENTID\nA1,E1,C1\n", [{}], [{}])
    missing = [p[2] for p in problems(result, "HH001")]
    assert missing == ["EPISODID", "FINITIAL", "SINITIAL", "DOB", "SEX", "DRUG1", "REFLD"]
    assert {p[0] for p in problems(result)} == {"episodes.csv"}
    assert result.fatal and result.exit_code() == 2
    assert result.files["episodes.csv"] == {"rows": 1, "accepted": 0, "rejected": 1}
    assert result.files["reviews.csv"] == {"rows": 1, "accepted": 0, "rejected": 1}
    assert result.tables["reviews"].num_rows == 0


def test_it_makes_a_review_file_missing_a_column_fatal_alone(submit, problems):
    result = submit([{}], "AGNCY,EPISODID\nA1,E1\n", [{}])
    assert problems(result) == [("reviews.csv", 1, "REVDATE", "HH001")]
    assert not result.fatal and result.exit_code() == 2
    assert result.files["children.csv"]["accepted"] == 1


def test_it_warns_once_per_unknown_column_even_when_another_file_owns_it(submit, problems):
    result = submit([{"REVDATE": "2020-01-01", "NDTMS_X": "1"}, {"EPISODID": "E2"}])
    assert problems(result) == [
        ("episodes.csv", 1, "REVDATE", "HW101"),
        ("episodes.csv", 1, "NDTMS_X", "HW101"),
    ]
    assert result.exit_code() == 0
