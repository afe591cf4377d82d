"""The award's legal limits at their boundaries: the EU threshold choosing the deciding body,
the committee's composition and quorum, the certificates' age and the standstill. Plain
functions, the objects they read stand in, the day pinned."""

import datetime
from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from contracts import award_rules
from contracts.choices import DecidingBody
from core import clock
from tests.contracts.fakes import DAY, TODAY, pinned_day  # noqa: F401 (pinned_day: autouse)

CENT = D("0.01")


class Person:
    def __init__(self, name):
        self.name = name

    def __str__(self):
        return self.name


# --- The deciding body (art. L1414-2 CGCT) ----------------------------------------------------


@pytest.mark.parametrize(
    ("nature", "value", "body"),
    [
        ("services", D(216000) - CENT, DecidingBody.COORDINATOR),
        ("services", D(216000), DecidingBody.COMMITTEE),
        ("services", D(216000) + CENT, DecidingBody.COMMITTEE),
        ("works", D(5404000) - CENT, DecidingBody.COORDINATOR),
        ("works", D(5404000), DecidingBody.COMMITTEE),
    ],
)
def test_the_tender_committee_awards_at_or_above_the_eu_threshold(nature, value, body):
    consultation = SimpleNamespace(
        procedure="open", nature=nature, estimated_value=value, published_at=None
    )
    assert award_rules.deciding_body(consultation) == body


def test_the_threshold_is_the_one_of_the_publication_day():
    # 220 000 €, published on 31 December 2025: below that year's 221 000 €, the coordinator
    # decides; published an hour later, the 2026 threshold of 216 000 € applies.
    published = clock.paris_moment(2025, 12, 31, 23, 30)
    consultation = SimpleNamespace(
        procedure="open", nature="services", estimated_value=D(220000), published_at=published
    )
    assert award_rules.deciding_body(consultation) == DecidingBody.COORDINATOR
    consultation.published_at = published + datetime.timedelta(hours=1)
    assert award_rules.deciding_body(consultation) == DecidingBody.COMMITTEE


def test_a_mapa_is_awarded_by_the_coordinator_whatever_its_value():
    consultation = SimpleNamespace(
        procedure="adapted", nature="services", estimated_value=D(10**6), published_at=None
    )
    assert award_rules.deciding_body(consultation) == DecidingBody.COORDINATOR


# --- The decision: its date, who sat and the quorum (CGCT L1411-5) ----------------------------

ANNE, BRUNO, CLAIRE, ZOE = (Person(n) for n in ("Anne", "Bruno", "Claire", "Zoé"))


def decided(present, *, on=TODAY, body=DecidingBody.COMMITTEE, quorum=2, opened=None):
    groupement = SimpleNamespace(
        committee_members=SimpleNamespace(all=lambda: [ANNE, BRUNO, CLAIRE]),
        quorum=quorum,
        committee_chair=ANNE,
    )
    consultation = SimpleNamespace(groupement=groupement)
    if opened:
        consultation.opening = SimpleNamespace(opened_at=clock.paris_moment(*opened))
    # Every member present votes for: the votes themselves are tested in test_votes.
    votes = award_rules.Votes(len(present), 0, 0)
    return award_rules.decision_errors(
        consultation, body=body, decided_on=on, present=present, votes=votes
    )


def quorum_refusal(present, quorum):
    members = "membre présent" if present <= 1 else "membres présents"
    return (
        f"Le quorum n’est pas atteint : {present} {members}, {quorum} requis par la "
        "convention (CGCT L1411-5)."
    )


@pytest.mark.parametrize(
    ("present", "errors"),
    [
        ([], [quorum_refusal(0, 2)]),
        ([ANNE], [quorum_refusal(1, 2)]),
        ([ANNE, BRUNO], []),
        ([ANNE, BRUNO, CLAIRE], []),
    ],
)
def test_the_committee_decides_with_its_quorum(present, errors):
    assert decided(present) == errors


def test_only_the_committees_members_sit():
    assert decided([ANNE, ZOE]) == [
        "Zoé ne siège pas à la commission d’appel d’offres du groupement."
    ]
    assert decided([ANNE, ZOE, Person("Yves")]) == [
        "Zoé, Yves ne siègent pas à la commission d’appel d’offres du groupement."
    ]


def test_the_coordinator_decides_alone():
    assert decided([], body=DecidingBody.COORDINATOR) == []


@pytest.mark.parametrize(
    ("on", "errors"),
    [
        (TODAY - 6 * DAY, ["La décision ne peut pas être antérieure à l’ouverture des plis."]),
        (TODAY - 5 * DAY, []),
        (TODAY, []),
        (TODAY + DAY, ["La décision ne peut pas être datée dans le futur."]),
    ],
)
def test_the_decision_is_dated_between_the_opening_and_today(on, errors):
    assert decided([ANNE, BRUNO], on=on, opened=(2027, 6, 10, 23, 30)) == errors


# --- Certificates (art. R2144-4 CCP; URSSAF: art. D8222-5 Code du travail) -------------------


def urssaf_refusal(day):
    return (
        f"L’attestation de vigilance URSSAF du {day} a plus de six mois : demandez-en une "
        "nouvelle à l’attributaire (art. D8222-5 du code du travail)."
    )


@pytest.mark.parametrize(
    ("issued", "errors"),
    [
        (datetime.date(2026, 12, 16), []),
        (datetime.date(2026, 12, 15), [urssaf_refusal("15 décembre 2026")]),
        (datetime.date(2026, 12, 14), [urssaf_refusal("14 décembre 2026")]),
    ],
)
def test_the_urssaf_certificate_is_less_than_six_months_old(issued, errors):
    assert award_rules.certificate_issue_errors("urssaf", issued) == errors
    # The tax and social certificates have no such limit here.
    assert award_rules.certificate_issue_errors("tax", issued) == []


@pytest.mark.parametrize(("issued", "refused"), [(TODAY, False), (TODAY + DAY, True)])
def test_a_certificate_is_not_dated_in_the_future(issued, refused):
    errors = award_rules.certificate_issue_errors("social", issued, today=TODAY)
    assert errors == (["Une attestation ne peut pas être datée dans le futur."] if refused else [])


def test_the_winners_three_certificates_are_present_and_valid():
    award = SimpleNamespace(
        lot=SimpleNamespace(number=1),
        bid=SimpleNamespace(bidder="Alpha"),
        certificates=SimpleNamespace(
            all=lambda: [SimpleNamespace(kind="urssaf", issued_on=datetime.date(2026, 12, 15))]
        ),
    )
    assert award_rules.certificate_errors(award) == [
        "Lot 1 : les attestations de Alpha sont vérifiées avant l’attribution (art. R2144-4 "
        "CCP) ; manquent : Attestation de régularité fiscale, Attestation de régularité sociale.",
        urssaf_refusal("15 décembre 2026"),
    ]
    kinds = ["tax", "social", "urssaf"]
    award.certificates.all = lambda: [SimpleNamespace(kind=k, issued_on=TODAY) for k in kinds]
    assert award_rules.certificate_errors(award) == []
    # Checked on the day given: valid on 1 June, more than six months old on 15 June.
    award.certificates.all = lambda: [
        SimpleNamespace(kind=k, issued_on=datetime.date(2026, 12, 14)) for k in kinds
    ]
    assert award_rules.certificate_errors(award, today=datetime.date(2027, 6, 1)) == []
    assert award_rules.certificate_errors(award) == [urssaf_refusal("14 décembre 2026")]


@pytest.mark.parametrize(
    ("day", "months", "result"),
    [
        (datetime.date(2027, 1, 31), 1, datetime.date(2027, 2, 28)),
        (datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),
        (datetime.date(2027, 8, 31), 1, datetime.date(2027, 9, 30)),
        (datetime.date(2027, 10, 31), 2, datetime.date(2027, 12, 31)),
        (datetime.date(2026, 12, 15), 6, datetime.date(2027, 6, 15)),
        (datetime.date(2027, 11, 30), 3, datetime.date(2028, 2, 29)),
        (datetime.date(2027, 12, 1), 12, datetime.date(2028, 12, 1)),
        (datetime.date(2027, 12, 15), 1, datetime.date(2028, 1, 15)),
        (datetime.date(2027, 7, 15), 0, datetime.date(2027, 7, 15)),
    ],
)
def test_months_are_added_to_the_same_day_or_the_months_last(day, months, result):
    assert award_rules.add_months(day, months) == result


# --- Standstill (art. R2182-1 CCP) ------------------------------------------------------------


def test_the_standstill_is_11_days_electronically_16_by_post():
    assert award_rules.standstill_days(electronic=True) == 11
    assert award_rules.standstill_days(electronic=False) == 16


@pytest.mark.parametrize(("electronic", "first_day"), [(True, 27), (False, 32)])
def test_the_contract_is_signed_from_the_day_after_the_standstill(electronic, first_day):
    # Sent on 15 June at 23:30 Paris time: the days count from 16 June, the last one runs to
    # midnight.
    sent = clock.paris_moment(2027, 6, 15, 23, 30)
    end = award_rules.standstill_end(sent, electronic=electronic)
    first = datetime.date(2027, 6, 1) + (first_day - 1) * DAY
    assert end == datetime.datetime.combine(first, datetime.time(0), tzinfo=clock.PARIS)


def lot(procedure, *late):
    bids = [SimpleNamespace(late=flag) for flag in late]
    return SimpleNamespace(
        consultation=SimpleNamespace(procedure=procedure), bids=SimpleNamespace(all=lambda: bids)
    )


@pytest.mark.parametrize(
    ("a_lot", "required"),
    [
        (lot("open", False, False), True),
        (lot("open", False), False),
        (lot("open", False, True), False),
        (lot("adapted", False, False), False),
    ],
)
def test_a_standstill_is_required_with_two_bidders_in_time_outside_a_mapa(a_lot, required):
    assert award_rules.standstill_required(a_lot) is required


def test_the_earliest_signature_day_is_the_standstill_end_or_the_sending():
    sent = clock.paris_moment(2027, 6, 15, 23, 30)
    award = SimpleNamespace(standstill_ends_at=None, letters_sent_at=None)
    assert award_rules.earliest_signature_day(award) is None
    award.letters_sent_at = sent
    assert award_rules.earliest_signature_day(award) == datetime.date(2027, 6, 15)
    award.standstill_ends_at = clock.paris_moment(2027, 6, 27)
    assert award_rules.earliest_signature_day(award) == datetime.date(2027, 6, 27)


# --- Reasons ----------------------------------------------------------------------------------


def test_a_lot_not_awarded_and_a_reconsidered_award_say_why():
    assert award_rules.lot_outcome_errors(None, "withdrawn", " ") == [
        "Issue inconnue.",
        "Indiquez pourquoi le lot n’est pas attribué.",
    ]
    assert award_rules.reconsideration_reason_errors(" ") == [
        "Indiquez pourquoi l’attribution est réexaminée."
    ]
    assert award_rules.reconsideration_reason_errors("Recours") == []
