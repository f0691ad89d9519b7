"""The safeguarding spec's code lists and the referral state machine, as data.

Read by the models, the forms, the services, the API and the docs alike.
"""

from __future__ import annotations

CONCERNS = {
    "NEGLECT": "Neglect",
    "PHYSICAL": "Physical abuse",
    "EMOTIONAL": "Emotional abuse",
    "SEXUAL": "Sexual abuse",
    "DOMESTIC_ABUSE": "Domestic abuse",
    "PARENTAL_SUBSTANCE_USE": "Parental substance use",
    "PARENTAL_MENTAL_HEALTH": "Parental mental health",
    "UNBORN": "Unborn child",
    "OTHER": "Other",
}

OUTCOMES = {
    "NFA": "No further action",
    "ADVICE": "Advice and information to the referrer",
    "EARLY_HELP": "Referred to early help",
    "ASSESSMENT": "Children and family assessment (section 17)",
    "S47": "Strategy discussion / child protection enquiry (section 47)",
    "ALREADY_OPEN": "Already open to children's social care, passed to the allocated worker",
    "OTHER_AREA": "Transferred to another local authority",
}

# The outcomes in a few words, for the report's chart and table; and the two rows the activity
# figures add (spec/safeguarding.md, `by_outcome`): no decision yet, and withdrawn.
OUTCOMES_SHORT = {
    "NFA": "No further action",
    "ADVICE": "Advice and information",
    "EARLY_HELP": "Early help",
    "ASSESSMENT": "Assessment (section 17)",
    "S47": "Child protection enquiry (section 47)",
    "ALREADY_OPEN": "Already open to CSC",
    "OTHER_AREA": "Another local authority",
    "pending": "Waiting for a decision",
    "withdrawn": "Withdrawn",
}

CONSENT_GIVEN = "GIVEN"
CONSENT = {
    "GIVEN": "The parent knows and consents",
    "REFUSED": "The parent refused consent",
    "NOT_SOUGHT": "Consent not sought",
}

LAWFUL_BASES = {
    "CONSENT": "Consent",
    "SAFEGUARDING_CHILD": "Safeguarding a child: UK GDPR Art. 6(1)(e), DPA 2018 Sch. 1 para 18",
    "VITAL_INTERESTS": "Vital interests",
    "LEGAL_OBLIGATION": "Legal obligation",
    "PUBLIC_TASK": "Public task",
}

SHARE_CATEGORIES = {
    "IDENTITY": "Who the parent and children are",
    "HIDDEN_HARM": "The Hidden Harm items (parental status, children, pregnancy)",
    "CHILDREN": "The children's details and whereabouts",
    "SUBSTANCE_USE": "Substance use and treatment",
    "RISK": "Risk information",
    "ATTENDANCE": "Attendance and engagement",
    "OTHER": "Other",
}

DRAFT, SENT, ACKNOWLEDGED, DECIDED, CLOSED, WITHDRAWN = (
    "draft",
    "sent",
    "acknowledged",
    "decided",
    "closed",
    "withdrawn",
)
STATES = {
    DRAFT: "Draft",
    SENT: "Sent",
    ACKNOWLEDGED: "Acknowledged",
    DECIDED: "Decided",
    CLOSED: "Closed",
    WITHDRAWN: "Withdrawn",
}
# GOV.UK tag colours for the states.
STATE_TAGS = {
    DRAFT: "govuk-tag--grey",
    SENT: "govuk-tag--blue",
    ACKNOWLEDGED: "govuk-tag--light-blue",
    DECIDED: "govuk-tag--green",
    CLOSED: "govuk-tag--grey",
    WITHDRAWN: "govuk-tag--orange",
}

TREATMENT, CSC, EITHER = "treatment", "csc", "either"

# The moves: action -> (the states it may leave, the state it enters, whose side makes it).
MOVES: dict[str, tuple[frozenset[str], str, str]] = {
    "send": (frozenset({DRAFT}), SENT, TREATMENT),
    "acknowledge": (frozenset({SENT}), ACKNOWLEDGED, CSC),
    "decide": (frozenset({SENT, ACKNOWLEDGED}), DECIDED, CSC),
    "close": (frozenset({DECIDED}), CLOSED, EITHER),
    "withdraw": (frozenset({DRAFT, SENT, ACKNOWLEDGED}), WITHDRAWN, TREATMENT),
}
MOVE_LABELS = {
    "send": "Send to children's social care",
    "acknowledge": "Acknowledge receipt",
    "decide": "Record the decision",
    "close": "Close",
    "withdraw": "Withdraw",
}
