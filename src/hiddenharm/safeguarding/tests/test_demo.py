"""The demo holds what spec/api.md names: two CSC teams in different areas with `csc` and
`csc2`, a protocol per area, and referrals from each provider to the first team in every state."""

from __future__ import annotations

import pytest

from hiddenharm.accounts.models import Organisation
from hiddenharm.safeguarding import codes
from hiddenharm.safeguarding.models import (
    InformationRequest,
    InformationShare,
    JointProtocol,
    Referral,
)


@pytest.mark.django_db
@pytest.mark.slow
def test_it_loads_referrals_in_every_state_from_every_provider_once():
    from hiddenharm.web.command import load_demo

    summary = load_demo(episodes=400)
    assert (
        "csc2",
        "Children's social care practitioner",
        "Suffolk Children's Services: Customer First",
    ) in summary["users"]
    teams = Organisation.objects.filter(kind="csc")
    assert teams.count() == 2 and len({t.la_code for t in teams}) == 2
    assert set(JointProtocol.objects.values_list("la_code", flat=True)) == {
        t.la_code for t in teams
    }
    first = Organisation.objects.get(name="Norfolk Children's Services: Front Door")
    for provider in Organisation.objects.filter(kind="provider"):
        states = set(
            Referral.objects.filter(provider=provider, team=first).values_list("state", flat=True)
        )
        assert states == set(codes.STATES), provider.agency_code
    assert all(r.children.exists() for r in Referral.objects.all())
    assert Referral.objects.exclude(team=first).filter(state="sent").exists()  # for csc2
    assert InformationShare.objects.filter(consent="REFUSED").exists()
    assert InformationRequest.objects.exists()
    from hiddenharm.safeguarding.plans.models import ChildProtectionPlan
    from hiddenharm.safeguarding.screening.models import Screening

    assert Screening.objects.exists() and ChildProtectionPlan.objects.exists()
    n = Referral.objects.count()
    load_demo(episodes=400)
    assert Referral.objects.count() == n
