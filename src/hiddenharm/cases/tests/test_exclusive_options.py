"""Checkbox answers that stand alone ("None", "Not known"): marked exclusive for GOV.UK's
script, and still refused beside another answer by the server."""

import re

import pytest
from django.urls import reverse

from hiddenharm.cases.models import HiddenHarmRecord

pytestmark = pytest.mark.django_db


def _inputs(html: str, name: str) -> dict[str, str]:
    """value -> the <input> tag of each checkbox named `name`."""
    tags = re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)
    return {re.search(r'value="([^"]*)"', t).group(1): t for t in tags}


def test_it_marks_none_and_not_known_as_exclusive_on_the_items(as_persona, world):
    html = as_persona("keyworker").get(reverse("cases:review_create", args=[world.episode.pk]))
    html = html.content.decode()
    inputs = _inputs(html, "earlyhlp")
    assert set(inputs) == {"EH", "CIN", "CPP", "LAC", "NONE", "UNK"}
    exclusive = {v for v, tag in inputs.items() if 'data-behaviour="exclusive"' in tag}
    assert exclusive == {"NONE", "UNK"}
    assert 'data-module="govuk-checkboxes"' in html  # govuk-frontend's script runs on it
    # the "or" divider comes before "None", after the last answer that combines
    assert re.search(r'value="LAC".*?govuk-checkboxes__divider">or<.*?value="NONE"', html, re.S)


def test_it_keeps_the_answers_ticked_when_the_form_comes_back(as_persona, world):
    http = as_persona("keyworker")
    url = reverse("cases:review_create", args=[world.episode.pk])
    response = http.post(url, {"earlyhlp": ["EH", "CIN"], "childwth": "x"})
    inputs = _inputs(response.content.decode(), "earlyhlp")
    assert " checked" in inputs["EH"] and " checked" in inputs["CIN"]
    assert " checked" not in inputs["NONE"]


def test_it_still_refuses_none_beside_another_answer(as_persona, world):
    http = as_persona("keyworker")
    before = HiddenHarmRecord.objects.filter(kind="review").count()
    response = http.post(
        reverse("cases:review_create", args=[world.episode.pk]),
        {
            "revdate_0": "21",
            "revdate_1": "7",
            "revdate_2": "2025",
            "prntstat": "11",
            "childwth": "1",
            "pregnant": "N",
            "earlyhlp": ["EH", "NONE"],
        },
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["earlyhlp"]  # the only thing wrong
    assert HiddenHarmRecord.objects.filter(kind="review").count() == before


def test_it_marks_none_as_exclusive_on_the_screening(as_persona, world):
    html = as_persona("keyworker").get(reverse("screening:create", args=[world.client_obj.pk]))
    inputs = _inputs(html.content.decode(), "q_other_services")
    exclusive = {v for v, tag in inputs.items() if 'data-behaviour="exclusive"' in tag}
    assert exclusive == {"NONE"} and "GP" in inputs
