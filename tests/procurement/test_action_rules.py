"""The rules of each consultation and bid action, as plain functions at their boundaries: no
database, the objects they read stand in."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from procurement import bid_rules, delays, rules
from procurement.choices import ConsultationState, GroupingKind

State = ConsultationState
PARIS = delays.PARIS
DEADLINE = datetime.datetime(2027, 3, 26, 12, 0, tzinfo=PARIS)
SECOND = datetime.timedelta(seconds=1)
# The moment candidates must have the last answer or change, in a formal procedure: 6 days.
LAST_NOTICE = delays.add_days(DEADLINE, -6)


def consultation(state=State.PUBLISHED, *, procedure="open", urgency=False, **fields):
    return SimpleNamespace(
        state=state,
        procedure=procedure,
        urgency=urgency,
        offers_deadline=DEADLINE,
        questions_deadline=DEADLINE - datetime.timedelta(days=10),
        **fields,
    )


# --- Windows of state ------------------------------------------------------------------------


@pytest.mark.parametrize("state", list(State))
def test_a_consultation_is_edited_only_as_a_draft(state):
    assert bool(rules.consultation_edit_errors(consultation(state))) is (state != State.DRAFT)


@pytest.mark.parametrize("state", list(State))
def test_questions_are_recorded_only_while_published(state):
    assert bool(rules.question_errors(consultation(state))) is (state != State.PUBLISHED)


@pytest.mark.parametrize("state", list(State))
def test_tender_documents_change_in_a_draft_or_while_published(state):
    errors = rules.document_change_errors(
        consultation(state), reason="Correction.", now=LAST_NOTICE - SECOND
    )
    assert bool(errors) is (state not in (State.DRAFT, State.PUBLISHED))


@pytest.mark.parametrize("state", list(State))
def test_bids_are_analysed_in_analysis_or_negotiation_only(state):
    bid = SimpleNamespace(lot=SimpleNamespace(consultation=consultation(state)))
    assert bool(bid_rules.analysis_errors(bid)) is (
        state not in (State.ANALYSIS, State.NEGOTIATION)
    )


@pytest.mark.parametrize("state", list(State))
def test_deposits_are_registered_from_the_publication_to_the_analysis(state):
    registering = {State.PUBLISHED, State.CLOSED, State.OPENED, State.ANALYSIS}
    assert bool(bid_rules.registration_errors(consultation(state))) is (state not in registering)


def test_a_member_reviews_only_while_the_documents_are_submitted_to_the_members():
    errors = rules.review_answer_errors(consultation(State.DRAFT), "M1", approve=True, comment="")
    assert errors == [
        "Les membres ne relisent le DCE que tant que la consultation leur est soumise."
    ]


# --- Deadlines, to the second ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "refused"),
    [(LAST_NOTICE - SECOND, False), (LAST_NOTICE, False), (LAST_NOTICE + SECOND, True)],
)
def test_a_formal_answer_reaches_candidates_six_days_before_the_deadline(now, refused):
    question = SimpleNamespace(consultation=consultation(), answered_at=None)
    errors = rules.answer_errors(question, now=now)
    assert bool(errors) is refused
    if refused:
        assert "R2132-6" in errors[0]


def test_in_urgency_the_answer_may_come_four_days_before():
    question = SimpleNamespace(consultation=consultation(urgency=True), answered_at=None)
    latest = delays.add_days(DEADLINE, -4)
    assert rules.answer_errors(question, now=latest) == []
    assert rules.answer_errors(question, now=latest + SECOND)


def test_a_question_is_answered_once():
    question = SimpleNamespace(consultation=consultation(), answered_at=LAST_NOTICE)
    assert len(rules.answer_errors(question, now=LAST_NOTICE - SECOND)) == 1


@pytest.mark.parametrize(
    ("now", "refused"),
    [(LAST_NOTICE - SECOND, False), (LAST_NOTICE, False), (LAST_NOTICE + SECOND, True)],
)
def test_a_published_document_is_replaced_within_the_legal_notice(now, refused):
    errors = rules.document_change_errors(consultation(), reason="Correction.", now=now)
    assert bool(errors) is refused


@pytest.mark.parametrize(
    ("state", "reason", "refused"),
    [
        (State.PUBLISHED, "", True),
        (State.PUBLISHED, " \n ", True),
        (State.PUBLISHED, "x", False),
        (State.DRAFT, "", False),
    ],
)
def test_a_published_document_changes_with_a_reason(state, reason, refused):
    errors = rules.document_change_errors(
        consultation(state), reason=reason, now=LAST_NOTICE - SECOND
    )
    assert bool(errors) is refused


@pytest.mark.parametrize(
    ("offers_deadline", "refused"),
    [(DEADLINE - SECOND, True), (DEADLINE, True), (DEADLINE + SECOND, False)],
)
def test_an_extension_sets_a_later_offers_deadline(offers_deadline, refused):
    errors = rules.extension_errors(consultation(), offers_deadline=offers_deadline)
    assert bool(errors) is refused


@pytest.mark.parametrize(
    ("questions_deadline", "refused"),
    [
        (DEADLINE + SECOND, False),
        (DEADLINE + 2 * SECOND, True),
        (DEADLINE + 3 * SECOND, True),
    ],
)
def test_an_extension_keeps_the_questions_deadline_before_the_offers_deadline(
    questions_deadline, refused
):
    errors = rules.extension_errors(
        consultation(),
        offers_deadline=DEADLINE + 2 * SECOND,
        questions_deadline=questions_deadline,
    )
    assert bool(errors) is refused


def test_an_extension_happens_only_while_published():
    errors = rules.extension_errors(
        consultation(State.CLOSED), offers_deadline=DEADLINE + datetime.timedelta(days=7)
    )
    assert len(errors) == 1


@pytest.mark.parametrize(
    ("now", "refused"), [(DEADLINE - SECOND, True), (DEADLINE, False), (DEADLINE + SECOND, False)]
)
@pytest.mark.parametrize("state", [State.PUBLISHED, State.CLOSED])
def test_the_bids_are_opened_from_the_deadline_on(state, now, refused):
    assert bool(bid_rules.opening_errors(consultation(state), now=now)) is refused


def test_in_other_states_the_opening_leaves_the_refusal_to_the_state_machine():
    assert bid_rules.opening_errors(consultation(State.DRAFT), now=DEADLINE - SECOND) == []


@pytest.mark.parametrize(
    ("deadline", "refused"),
    [(DEADLINE - SECOND, True), (DEADLINE, True), (DEADLINE + SECOND, False)],
)
def test_a_completion_deadline_is_in_the_future(deadline, refused):
    errors = bid_rules.completion_request_errors("Kbis manquant", deadline, now=DEADLINE)
    assert bool(errors) is refused


def test_a_completion_request_says_what_is_missing_first():
    errors = bid_rules.completion_request_errors(" ", DEADLINE - SECOND, now=DEADLINE)
    assert errors == ["Indiquez les pièces manquantes."]


# --- Deposits --------------------------------------------------------------------------------


def lot(*, deposited=False):
    """A lot on which Innov'Artois has deposited a bid, or nobody."""
    bidders = ["Innov'Artois"] if deposited else []
    bids = SimpleNamespace(
        filter=lambda *, bidder: SimpleNamespace(exists=lambda: bidder in bidders)
    )
    return SimpleNamespace(number=1, bids=bids)


def deposit(**fields):
    terms = {
        "bidder": "Innov'Artois",
        "grouping": GroupingKind.SINGLE,
        "members": [],
        "price": None,
        "received_at": None,
    }
    return SimpleNamespace(**(terms | fields))


@pytest.mark.parametrize(
    ("received_at", "refused"),
    [(DEADLINE - SECOND, False), (DEADLINE, False), (DEADLINE + SECOND, True)],
)
def test_a_deposit_cannot_be_dated_after_the_server_time(received_at, refused):
    errors = bid_rules.deposit_errors(
        lot(), consultation(), deposit(received_at=received_at), now=DEADLINE
    )
    assert bool(errors) is refused


@pytest.mark.parametrize(
    ("price", "refused"),
    [(None, True), (Decimal("-0.01"), True), (Decimal(0), True), (Decimal("0.01"), False)],
)
def test_a_price_is_greater_than_zero(price, refused):
    assert bool(bid_rules.price_errors(price)) is refused


def test_a_deposit_without_price_is_registered_and_one_with_a_nil_price_is_not():
    assert bid_rules.deposit_errors(lot(), consultation(), deposit(), now=DEADLINE) == []
    priced = deposit(price=Decimal("0.01"))
    assert bid_rules.deposit_errors(lot(), consultation(), priced, now=DEADLINE) == []
    other = deposit(bidder="Alpha")
    assert bid_rules.deposit_errors(lot(deposited=True), consultation(), other, now=DEADLINE) == []
    errors = bid_rules.deposit_errors(
        lot(), consultation(), deposit(price=Decimal(0)), now=DEADLINE
    )
    assert len(errors) == 1


def test_a_deposit_collects_every_refusal_in_order():
    errors = bid_rules.deposit_errors(
        lot(deposited=True),
        consultation(State.DRAFT),
        deposit(grouping=GroupingKind.JOINT, price=Decimal(0), received_at=DEADLINE + SECOND),
        now=DEADLINE,
    )
    assert errors == [
        "Les dépôts s’enregistrent une fois la consultation publiée.",
        "Un dépôt ne peut pas être daté dans le futur.",
        "Un prix est supérieur à 0 € HT.",
        "Innov'Artois a déjà déposé un pli pour le lot 1.",
        "Un groupement nomme au moins un membre en plus de son mandataire.",
    ]


def test_a_single_bidder_has_no_co_members_and_each_document_is_checked():
    documents = [SimpleNamespace(name="offre.exe", size=10)]
    errors = bid_rules.deposit_errors(
        lot(), consultation(), deposit(members=["Cotraitant"]), now=DEADLINE, documents=documents
    )
    assert errors == [
        "Un candidat seul n’a pas de cotraitants : choisissez un groupement.",
        "offre.exe : Types de fichiers acceptés : pdf, docx, xlsx, odt, ods, zip.",
    ]
    joint = deposit(grouping=GroupingKind.JOINT_SEVERAL, members=["Cotraitant"])
    assert bid_rules.deposit_errors(lot(), consultation(), joint, now=DEADLINE) == []


@pytest.mark.parametrize(
    ("size", "refused"),
    [
        (bid_rules.REGISTER_MAX_BYTES - 1, False),
        (bid_rules.REGISTER_MAX_BYTES, False),
        (bid_rules.REGISTER_MAX_BYTES + 1, True),
    ],
)
def test_the_deposit_register_weighs_at_most_five_megabytes(size, refused):
    assert bool(bid_rules.register_file_errors(SimpleNamespace(size=size))) is refused


# --- Decisions on bids -----------------------------------------------------------------------

DECISIONS = {"admit": "", "reject": ""}


def test_admitting_a_candidature_needs_no_reason_but_rejecting_does():
    assert bid_rules.decision_errors("admit", "", decisions=DECISIONS) == []
    assert bid_rules.decision_errors("reject", " ", decisions=DECISIONS)
    assert bid_rules.decision_errors("reject", "Kbis absent", decisions=DECISIONS) == []


def test_an_unknown_decision_is_refused_before_its_reason():
    assert len(bid_rules.decision_errors("delete", "", decisions=DECISIONS)) == 1


@pytest.mark.parametrize(
    ("late", "opened", "refused"),
    [(False, True, False), (False, False, True), (True, True, True)],
)
def test_a_price_is_read_from_an_opened_offer_received_in_time(late, opened, refused):
    bid = priced_bid(State.ANALYSIS, late=late)
    assert bool(bid_rules.price_record_errors(bid, bids_open=opened)) is refused


def priced_bid(state, *, late=False, price=None):
    return SimpleNamespace(
        late=late, price=price, lot=SimpleNamespace(consultation=consultation(state))
    )


@pytest.mark.parametrize("state", list(State))
def test_prices_are_recorded_from_the_opening_until_the_award_is_proposed(state):
    errors = bid_rules.price_record_errors(priced_bid(state), bids_open=True)
    assert bool(errors) is (state not in (State.OPENED, State.ANALYSIS, State.NEGOTIATION))


@pytest.mark.parametrize(
    ("new_price", "reason", "refused"),
    [
        (Decimal("100.00"), "", False),
        (Decimal("100.01"), "", True),
        (Decimal("100.01"), "   ", True),
        (Decimal("100.01"), "Erreur de saisie", False),
    ],
)
def test_correcting_a_recorded_price_says_why(new_price, reason, refused):
    bid = priced_bid(State.ANALYSIS, price=Decimal("100.00"))
    errors = bid_rules.price_record_errors(bid, bids_open=True, price=new_price, reason=reason)
    assert bool(errors) is refused


@pytest.mark.parametrize(
    ("requested", "decided", "refused"),
    [(None, "", True), (DEADLINE, "", False), (DEADLINE, "accepted", True)],
)
def test_a_justification_is_judged_once_after_it_was_requested(requested, decided, refused):
    bid = SimpleNamespace(low_price_requested_at=requested, low_price_decision=decided)
    assert bool(bid_rules.price_judgement_errors(bid)) is refused


# --- What each refusal says ------------------------------------------------------------------

AT_DEADLINE = "26 mars 2027 à 12\xa0h\xa000"
LOW = Decimal(1)


def flagged_bid(**fields):
    """A bid at 1 € for a lot estimated at 100 000 €: abnormally low."""
    terms = {"pk": 1, "price": LOW, "late": False}
    return SimpleNamespace(lot=SimpleNamespace(estimated_value=Decimal(100000)), **terms | fields)


@pytest.mark.parametrize(
    ("refusal", "message"),
    [
        (
            lambda: rules.answer_errors(
                SimpleNamespace(consultation=consultation(urgency=True), answered_at=None),
                now=DEADLINE,
            ),
            "En procédure formalisée, les réponses parviennent aux candidats au moins 4 jours "
            "avant la date limite de remise des offres (art. R2132-6 CCP) : reportez d’abord la "
            "date limite.",
        ),
        (
            lambda: rules.answer_errors(
                SimpleNamespace(consultation=consultation(), answered_at=None), now=DEADLINE
            ),
            "En procédure formalisée, les réponses parviennent aux candidats au moins 6 jours "
            "avant la date limite de remise des offres (art. R2132-6 CCP) : reportez d’abord la "
            "date limite.",
        ),
        (
            lambda: rules.answer_errors(
                SimpleNamespace(consultation=consultation(State.CLOSED), answered_at=None)
            ),
            "Les réponses se publient tant que la consultation est publiée.",
        ),
        (
            lambda: rules.answer_errors(
                SimpleNamespace(consultation=consultation(), answered_at=LAST_NOTICE)
            ),
            "Cette question a déjà reçu une réponse.",
        ),
        (
            lambda: rules.replacement_errors(consultation(urgency=True), now=DEADLINE),
            "Les candidats doivent disposer de toute modification au moins 4 jours avant la date "
            "limite de remise des offres (art. R2132-6 CCP) : prolongez d’abord la date limite, "
            "puis remplacez le document.",
        ),
        (
            lambda: rules.document_change_errors(consultation(State.CLOSED)),
            "Les pièces du DCE ne se modifient qu’à l’état de brouillon, ou après publication "
            "dans le respect du délai légal ; renvoyez d’abord la consultation à l’état de "
            "brouillon.",
        ),
        (
            lambda: rules.extension_errors(consultation(), offers_deadline=DEADLINE),
            f"Un report fixe une date limite postérieure au {AT_DEADLINE}.",
        ),
        (
            lambda: rules.extension_errors(consultation(State.DRAFT), offers_deadline=DEADLINE),
            "La date limite ne se reporte que tant que la consultation est publiée.",
        ),
        (
            lambda: rules.consultation_edit_errors(consultation()),
            "Une consultation n’est modifiable qu’à l’état de brouillon, avant la relecture par "
            "les membres.",
        ),
        (
            lambda: rules.question_errors(consultation(State.DRAFT)),
            "Les questions s’enregistrent tant que la consultation est publiée.",
        ),
        (
            lambda: bid_rules.opening_errors(consultation(), now=DEADLINE - SECOND),
            f"Les plis ne s’ouvrent qu’après la date limite de remise des offres ({AT_DEADLINE}).",
        ),
        (
            lambda: bid_rules.analysis_errors(
                SimpleNamespace(lot=SimpleNamespace(consultation=consultation()))
            ),
            "Les plis s’analysent pendant l’analyse ou la négociation.",
        ),
        (
            lambda: bid_rules.registration_errors(consultation(State.DRAFT)),
            "Les dépôts s’enregistrent une fois la consultation publiée.",
        ),
        (
            lambda: bid_rules.bidder_identity_errors(siret="", foreign_id=""),
            "Un soumissionnaire est identifié par un SIRET ou un identifiant étranger.",
        ),
        (lambda: bid_rules.price_errors(Decimal(0)), "Un prix est supérieur à 0 € HT."),
        (
            lambda: bid_rules.register_file_errors(SimpleNamespace(size=5 * 1024 * 1024 + 1)),
            "Le fichier est trop volumineux pour un registre des dépôts (5 Mo).",
        ),
        (
            lambda: bid_rules.late_bid_errors(SimpleNamespace(late=True)),
            "Un pli hors délai n’est ni ouvert ni analysé.",
        ),
        (
            lambda: bid_rules.price_record_errors(SimpleNamespace(late=True), bids_open=True),
            "Un prix se saisit d’après l’offre ouverte, après l’ouverture des plis.",
        ),
        (
            lambda: bid_rules.price_record_errors(priced_bid(State.AWARD_PROPOSED), bids_open=True),
            "Les prix se saisissent et se corrigent pendant l’analyse ; une fois l’attribution "
            "proposée, ce qui l’a fondée ne change plus.",
        ),
        (
            lambda: bid_rules.price_record_errors(
                priced_bid(State.ANALYSIS, price=Decimal(10)), bids_open=True, price=Decimal(11)
            ),
            "Corriger un prix enregistré change le classement : indiquez pourquoi.",
        ),
        (
            lambda: bid_rules.decision_errors("delete", "", decisions=["reject"]),
            "Décision inconnue.",
        ),
        (
            lambda: bid_rules.decision_errors("reject", " ", decisions=["reject"]),
            "Toute décision sur un pli est motivée par écrit.",
        ),
        (
            lambda: bid_rules.completion_request_errors("Kbis", DEADLINE, now=DEADLINE),
            "La date limite du complément est dans le futur.",
        ),
        (
            lambda: bid_rules.price_justification_request_errors(
                flagged_bid(price=Decimal(100000)), []
            ),
            "Ce prix n’est pas signalé comme anormalement bas.",
        ),
        (
            lambda: bid_rules.price_justification_request_errors(
                flagged_bid(low_price_requested_at=DEADLINE), []
            ),
            "Une justification a déjà été demandée.",
        ),
        (
            lambda: bid_rules.price_judgement_errors(SimpleNamespace(low_price_requested_at=None)),
            "Demandez la justification avant de la juger.",
        ),
        (
            lambda: bid_rules.price_judgement_errors(
                SimpleNamespace(low_price_requested_at=DEADLINE, low_price_decision="accepted")
            ),
            "La justification a déjà été jugée.",
        ),
        (
            lambda: bid_rules.price_judgement_reason_errors(" "),
            "Indiquez pourquoi la justification est acceptée ou rejetée.",
        ),
        (
            lambda: bid_rules.unsuccessful_reason_errors(" "),
            "Indiquez pourquoi aucune offre ne peut être retenue.",
        ),
    ],
)
def test_each_refusal_says_its_rule_in_french(refusal, message):
    assert refusal() == [message]


def test_an_abnormally_low_price_is_asked_for_its_justification_once():
    # Art. R2152-3 CCP.
    assert (
        bid_rules.price_justification_request_errors(flagged_bid(low_price_requested_at=None), [])
        == []
    )


# --- The public side -------------------------------------------------------------------------

QUESTIONS_DEADLINE = DEADLINE - datetime.timedelta(days=10)


@pytest.mark.parametrize("state", list(State))
def test_a_notice_is_public_only_while_published(state):
    assert bool(rules.public_notice_errors(consultation(state), now=QUESTIONS_DEADLINE)) is (
        state != State.PUBLISHED
    )


@pytest.mark.parametrize(
    ("now", "refused"), [(DEADLINE - SECOND, False), (DEADLINE, True), (DEADLINE + SECOND, True)]
)
def test_a_notice_closes_at_the_offers_deadline(now, refused):
    assert bool(rules.public_notice_errors(consultation(), now=now)) is refused


@pytest.mark.parametrize(
    ("now", "refused"),
    [
        (QUESTIONS_DEADLINE - SECOND, False),
        (QUESTIONS_DEADLINE, True),
        (QUESTIONS_DEADLINE + SECOND, True),
    ],
)
def test_candidates_ask_until_the_questions_deadline(now, refused):
    errors = rules.public_question_errors(consultation(), now=now)
    assert bool(errors) is refused
    if refused:
        assert errors == [
            "Les questions étaient reçues jusqu’au 16 mars 2027 à 12\xa0h\xa000, "
            "comme le fixe le RC."
        ]


def test_a_closed_notice_takes_no_question_whatever_the_questions_deadline():
    errors = rules.public_question_errors(consultation(State.CLOSED), now=QUESTIONS_DEADLINE)
    assert errors == ["Cette consultation n’est pas ouverte aux candidats."]


@pytest.mark.parametrize(
    ("length", "refused"),
    [
        (rules.QUESTION_MAX_LENGTH - 1, False),
        (rules.QUESTION_MAX_LENGTH, False),
        (rules.QUESTION_MAX_LENGTH + 1, True),
    ],
)
def test_a_question_holds_at_most_five_thousand_characters(length, refused):
    assert rules.QUESTION_MAX_LENGTH == 5000
    errors = rules.question_text_errors(" " + "x" * length + " ")
    assert bool(errors) is refused
    if refused:
        assert "5 000" in errors[0].replace("\u202f", " ").replace("\xa0", " ")


@pytest.mark.parametrize(
    ("company", "siret", "count"),
    [
        ("Pépinières", "81234567800005", 0),
        ("  ", "81234567800005", 1),
        ("Pépinières", "81234567800006", 1),
        (" ", "8123", 2),
    ],
)
def test_a_candidate_names_its_company_and_a_siret_with_its_key(company, siret, count):
    assert len(rules.registration_errors(company=company, siret=siret)) == count
