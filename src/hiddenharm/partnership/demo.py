"""The partnership's part of the demo: progress on the recommendations for the demo area and
two areas in other countries, markers of progress, and a directory. Written through the
service functions (so with history and audit events); running it again changes nothing."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from hiddenharm.accounts.models import Organisation, Profile, Role
from hiddenharm.partnership import services
from hiddenharm.partnership.directory import directory_kind
from hiddenharm.partnership.models import DirectoryEntry, MarkerEvidence, RecommendationStatus

# (number, status, owner, evidence) for the demo area.
DEMO_AREA_PROGRESS = (
    (
        1,
        "embedded",
        "Commissioning lead, public health",
        "Hidden Harm items in every provider's case system; completeness on the partnership dashboard each quarter.",
    ),
    (
        9,
        "in_place",
        "Commissioning lead, public health",
        "Number, age and whereabouts of clients' children recorded at start and review (Recommendation 9 report).",
    ),
    (
        10,
        "in_place",
        "Safeguarding partnership business manager",
        "Multi-agency child protection procedures have a chapter on parental substance misuse.",
    ),
    (
        13,
        "in_progress",
        "Treatment services' safeguarding leads",
        "Joint protocol between treatment services and children's social care under review.",
    ),
    (
        15,
        "in_place",
        "Combatting Drugs Partnership chair",
        "Children of parents in treatment named in the area drug and alcohol strategy.",
    ),
    (
        16,
        "embedded",
        "Combatting Drugs Partnership chair",
        "Children's services director sits on the partnership board.",
    ),
    (
        17,
        "in_progress",
        "Hidden Harm co-ordinator",
        "Quarterly meeting of treatment, maternity and children's services.",
    ),
    (
        18,
        "in_place",
        "Specialist midwife (substance use)",
        "Specialist midwife and clinical protocol for drug use in pregnancy.",
    ),
    (20, "in_progress", "Specialist midwife (substance use)", ""),
    (
        27,
        "in_progress",
        "Education safeguarding adviser",
        "Designated safeguarding leads trained: 140 of 420 schools so far.",
    ),
    (35, "in_place", "Treatment provider managers", "Family worker in each treatment service."),
    (36, "in_progress", "Workforce development", ""),
    (
        40,
        "in_place",
        "Voluntary sector forum",
        "Young carers' service runs a group for children of parents who drink or use drugs.",
    ),
    (43, "not_started", "Police safeguarding lead", ""),
)
DEMO_MARKERS = (
    ("2.1", True, "Every provider sends the Hidden Harm items with its monthly NDTMS return."),
    ("4A.6", True, "Hidden Harm co-ordinator in post since April, funded jointly."),
    ("4E.1", True, "Specialist midwife and protocol, reviewed yearly."),
    ("4D.3", False, "Joint training planned with the safeguarding partnership."),
)
OTHER_AREAS = (  # (name, la code, admin username, statuses by number)
    (
        "Glasgow City Alcohol and Drug Partnership",
        "S12000049",
        "adp_glasgow",
        {
            1: "embedded",
            2: "embedded",
            9: "embedded",
            13: "in_place",
            18: "in_place",
            27: "in_progress",
        },
    ),
    (
        "Cardiff and Vale Area Planning Board",
        "W06000015",
        "apb_cardiff",
        {1: "in_place", 9: "in_place", 11: "in_place", 18: "in_progress", 46: "not_started"},
    ),
)
# Telephone numbers are Ofcom's numbers for drama (01632 960xxx, 0808 157 0xxx): none rings.
DIRECTORY = (
    (
        "csc_front_door",
        "Children's Advice and Duty Service",
        "01632 960001",
        "Monday to Friday 8am to 6pm; out of hours 01632 960002",
        "Advice for professionals and referrals about a child's safety.",
        True,
    ),
    (
        "police",
        "Police: Multi-Agency Safeguarding Hub",
        "101",
        "24 hours (999 in an emergency)",
        "Police partner in the safeguarding hub.",
        True,
    ),
    (
        "health_visiting",
        "Health visiting and school nursing",
        "01632 960003",
        "Monday to Friday 8am to 6pm",
        "Health visitors and school nurses for families with children up to 19.",
        True,
    ),
    (
        "school_dsl",
        "Schools' designated safeguarding leads network",
        "01632 960004",
        "Term time, Monday to Friday 9am to 5pm",
        "Education safeguarding team: finds a school's designated safeguarding lead.",
        False,
    ),
    (
        "prison_probation",
        "Probation Service: county office",
        "01632 960005",
        "Monday to Friday 9am to 5pm",
        "Probation officers of parents on licence or community orders.",
        False,
    ),
    (
        "prison_probation",
        "Prison family support: visits and children",
        "01632 960006",
        "Visits: Tuesday to Sunday",
        "Family visits and support for prisoners' children.",
        False,
    ),
    (
        "voluntary",
        "Young carers and families service",
        "01632 960007",
        "Monday to Friday 9am to 5pm; some evenings",
        "Groups and one-to-one support for children of parents who drink or use drugs.",
        True,
    ),
    (
        "voluntary",
        "Family support helpline for parents who drink or use drugs",
        "0808 157 0001",
        "Every day 9am to 9pm",
        "Confidential advice for parents and families; you do not have to give your name.",
        True,
    ),
)


def _actor(username: str, area: Organisation):
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()  # an actor for the demo's history only: cannot sign in
        user.save()
    Profile.objects.update_or_create(
        user=user, defaults={"role": Role.PARTNERSHIP_ADMIN, "organisation": area}
    )
    return user


def _version(model, **key) -> int:
    row = model.objects.filter(**key).first()
    return row.version if row else 0


def _set(user, area, number, status, owner="", evidence="", review=None):
    services.set_recommendation(
        user,
        area,
        number,
        version=_version(RecommendationStatus, area=area, number=number),
        status=status,
        owner=owner,
        evidence=evidence,
        review_date=review,
    )


def load_partnership_demo(area: Organisation, admin, today: dt.date) -> None:
    """`area`: the demo partnership; `admin`: its partnership administrator."""
    for i, (number, status, owner, evidence) in enumerate(DEMO_AREA_PROGRESS):
        review = today + dt.timedelta(days=30 * ((i % 6) - 1))  # two are past their date
        _set(admin, area, number, status, owner, evidence, review)
    for marker, achieved, description in DEMO_MARKERS:
        services.set_marker(
            admin,
            area,
            marker,
            version=_version(MarkerEvidence, area=area, marker=marker),
            achieved=achieved,
            description=description,
        )
    for name, la, username, statuses in OTHER_AREAS:
        other, _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": Organisation.Kind.PARTNERSHIP, "la_code": la}
        )
        actor = _actor(username, other)
        for number, status in statuses.items():
            _set(actor, other, number, status)
    for kind, name, phone, hours, description, public in DIRECTORY:
        if DirectoryEntry.objects.filter(name=name).exists():
            continue
        services.create_entry(
            admin,
            kind=kind,
            name=name,
            phone=phone,
            hours=hours,
            description=description,
            areas=area.la_code,
            areas_description="Norfolk",
            public=public,
        )
    offers = {
        "treatment": (
            "Drug and alcohol treatment for adults; family worker for parents.",
            "Monday to Friday 9am to 5pm; Thursday to 8pm",
        ),
        "csc_front_door": (
            "Children's social care front door for referrals from treatment services.",
            "24 hours",
        ),
        "maternity": (
            "Specialist midwife for pregnant women who use drugs or alcohol.",
            "Monday to Friday 9am to 5pm",
        ),
    }
    orgs = Organisation.objects.filter(la_code=area.la_code).exclude(
        kind=Organisation.Kind.PARTNERSHIP
    )
    for n, org in enumerate(orgs.order_by("pk"), start=10):
        kind = directory_kind(org)
        if DirectoryEntry.objects.filter(organisation=org).exists() or kind not in offers:
            continue
        services.create_entry(
            admin,
            kind=kind,
            organisation=org,
            phone=f"01632 9600{n:02d}",
            hours=offers[kind][1],
            description=offers[kind][0],
            areas=area.la_code,
            areas_description="Norfolk",
            public=kind == "treatment",
        )
