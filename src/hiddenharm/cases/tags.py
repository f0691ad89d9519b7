"""What matters at a glance: GOV.UK tags for a child on a plan, in need or looked after, a
pregnancy, and a pre-birth referral not yet considered. One definition, read by the record,
the caseload and the worklist; set-based (EXISTS sub-queries) for the lists."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Subquery

from hiddenharm.cases.models import Child, ChildStatus, Pregnancy

# key -> (words, GOV.UK tag colour); in the order shown
TAGS = {
    "cpp": ("Child protection plan", "govuk-tag--red"),
    "cin": ("Child in need", "govuk-tag--orange"),
    "lac": ("Looked after", "govuk-tag--purple"),
    "pregnant": ("Pregnant", "govuk-tag--pink"),
    "prebirth": ("Pre-birth referral not considered", "govuk-tag--red"),
}
CSC = {"cpp": "CPP", "cin": "CIN", "lac": "LAC"}


def _latest_csc(child_ref="pk"):
    latest = ChildStatus.objects.filter(child=OuterRef(child_ref)).order_by("-recorded_on", "-id")
    return Subquery(latest.values("csc_status")[:1])


def annotate(clients):
    """Clients with a boolean `tag_<key>` for each tag."""
    kids = Child.objects.filter(client=OuterRef("pk")).annotate(csc=_latest_csc())
    open_pregnancies = Pregnancy.objects.filter(client=OuterRef("pk"), outcome="")
    return clients.annotate(
        **{f"tag_{k}": Exists(kids.filter(csc=code)) for k, code in CSC.items()},
        tag_pregnant=Exists(open_pregnancies),
        tag_prebirth=Exists(open_pregnancies.filter(prebirth_referral_considered=False)),
    )


def of(row) -> list[tuple[str, str]]:
    """(words, css class) of the tags of an annotated client."""
    return [TAGS[k] for k in TAGS if getattr(row, f"tag_{k}", False)]


def for_client(client, children, pregnancies) -> list[tuple[str, str]]:
    """The tags of one client from their loaded children (statuses prefetched, newest
    first) and pregnancies."""
    on = set()
    for child in children:
        statuses = list(child.statuses.all())
        child.tags = []
        if statuses:
            for k, code in CSC.items():
                if statuses[0].csc_status == code:
                    on.add(k)
                    child.tags.append(TAGS[k])
    for p in pregnancies:
        if not p.outcome:
            on.add("pregnant")
            if not p.prebirth_referral_considered:
                on.add("prebirth")
    return [TAGS[k] for k in TAGS if k in on]
