"""The consultation's legal rules at their boundaries, as plain functions: no database, the
objects they read stand in. Thresholds, delays and the abnormally-low ratios each exactly at,
just below and just above their limit."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from core import clock
from procurement import bid_rules, rules
from procurement.choices import ConsultationState, OfferState

State = ConsultationState
DAY = datetime.timedelta(days=1)
SECOND = datetime.timedelta(seconds=1)
CENT = Decimal("0.01")
PUBLISHED_AT = datetime.datetime(2027, 3, 1, 10, 0, tzinfo=clock.PARIS)
ALL_DOCUMENTS = ["rc", "ccap", "cctp", "ae"]


class Named(SimpleNamespace):
    def __str__(self):
        return self.name


def rows(items=(), *, exists=None):
    """A related manager: `all()`, `exists()`, `filter(...)` with `exists()` and `values_list`."""
    items = list(items)
    found = bool(items) if exists is None else exists
    return SimpleNamespace(
        all=lambda: items,
        exists=lambda: found,
        select_related=lambda *_: items,
        filter=lambda **_: SimpleNamespace(
            exists=lambda: found, values_list=lambda *_, **__: [i.pk for i in items]
        ),
    )


# --- The EU threshold: a formal procedure at or above it (art. L2124-1 and R2124-1 CCP) ----


def threshold_refusal(value, threshold, day):
    return [
        f"À {value}\xa0€\xa0HT, la consultation atteint le seuil européen de "
        f"{threshold}\xa0€\xa0HT applicable au {day} : une procédure formalisée est requise "
        "(art. L2124-1 et R2124-1 CCP)."
    ]


@pytest.mark.parametrize(
    ("nature", "value", "refused"),
    [
        ("services", Decimal(216000) - CENT, False),
        ("services", Decimal(216000), True),
        ("services", Decimal(216000) + CENT, True),
        ("works", Decimal(5404000) - CENT, False),
        ("works", Decimal(5404000), True),
    ],
)
def test_a_mapa_reaching_the_eu_threshold_is_refused(nature, value, refused):
    day = datetime.date(2026, 3, 12)
    errors = rules.threshold_errors(procedure="adapted", nature=nature, value=value, day=day)
    threshold = "216\xa0000" if nature == "services" else "5\xa0404\xa0000"
    shown = f"{value:,.0f}".replace(",", "\xa0")
    assert errors == (threshold_refusal(shown, threshold, "12 mars 2026") if refused else [])


def test_a_formal_procedure_may_exceed_the_threshold():
    day = datetime.date(2026, 3, 12)
    for procedure in ("open", "restricted", "negotiated"):
        assert (
            rules.threshold_errors(
                procedure=procedure, nature="services", value=Decimal(10**7), day=day
            )
            == []
        )


def terms(*, values=(Decimal(100000),), procedure="adapted", offers=PUBLISHED_AT + 40 * DAY):
    return SimpleNamespace(
        reference="2027-004",
        procedure=procedure,
        nature="services",
        lots=[SimpleNamespace(estimated_value=v) for v in values],
        questions_deadline=offers - 10 * DAY,
        offers_deadline=offers,
    )


def test_the_terms_threshold_adds_up_every_lots_estimate():
    with clock.frozen_at(clock.paris_moment(2027, 2, 1, 10)):
        below = rules.consultation_terms_errors(
            terms(values=(Decimal(108000), Decimal(108000) - CENT)), reference_taken=False
        )
        at = rules.consultation_terms_errors(
            terms(values=(Decimal(108000), Decimal(108000))), reference_taken=False
        )
    assert below == []
    assert at == threshold_refusal("216\xa0000", "216\xa0000", "1er février 2027")


def test_the_terms_say_every_refusal_in_order():
    bad = terms(values=())
    bad.questions_deadline = bad.offers_deadline
    errors = rules.consultation_terms_errors(bad, reference_taken=True)
    assert errors == [
        "Une consultation de référence 2027-004 existe déjà.",
        "Une consultation comporte au moins un lot.",
        "La date limite des questions doit précéder la date limite de remise des offres.",
    ]


# --- The offers deadline (art. R2161-2 to R2161-15 CCP) ---------------------------------------


def consultation(*, procedure="open", offers=None, electronic=True, urgency=False, **fields):
    offers = offers or PUBLISHED_AT + 30 * DAY
    return SimpleNamespace(
        procedure=procedure,
        electronic_submission=electronic,
        urgency=urgency,
        offers_deadline=offers,
        questions_deadline=offers - 5 * DAY,
        **fields,
    )


@pytest.mark.parametrize(
    ("electronic", "urgency", "days"), [(True, False, 30), (False, False, 35), (True, True, 15)]
)
def test_the_offers_deadline_keeps_the_legal_minimum_to_the_minute(electronic, urgency, days):
    earliest = PUBLISHED_AT + days * DAY
    for offers, refused in [
        (earliest - 60 * SECOND, True),
        (earliest, False),
        (earliest + 60 * SECOND, False),
    ]:
        c = consultation(offers=offers, electronic=electronic, urgency=urgency)
        errors = rules.deadline_errors(c, published_at=PUBLISHED_AT)
        assert bool(errors) is refused


def test_a_too_early_deadline_says_the_delay_its_article_and_the_earliest_date():
    c = consultation(offers=PUBLISHED_AT + 14 * DAY, urgency=True)
    c.questions_deadline = c.offers_deadline
    assert rules.deadline_errors(c, published_at=PUBLISHED_AT) == [
        "La date limite de remise des offres est trop proche : le délai minimal légal est de 15 "
        "jours (art. R2161-3 3° CCP), soit pas avant le 16 mars 2027 à 10\xa0h\xa000 pour une "
        "publication maintenant.",
        "La date limite des questions doit précéder la date limite de remise des offres.",
    ]


@pytest.mark.parametrize(
    ("questions", "refused"), [(-SECOND, False), (0 * SECOND, True), (SECOND, True)]
)
def test_the_questions_deadline_comes_strictly_before_the_offers_deadline(questions, refused):
    offers = PUBLISHED_AT + 30 * DAY
    assert bool(rules.questions_deadline_errors(offers + questions, offers)) is refused


# --- Before the review and the publication ---------------------------------------------------


def reviewed(*, documents=ALL_DOCUMENTS, lots=1, value=Decimal(100000), approved=(1, 2), **more):
    members = [
        SimpleNamespace(state="signed", organisation=Named(pk=1, name="COORD")),
        SimpleNamespace(state="signed", organisation=Named(pk=2, name="M1")),
        SimpleNamespace(state="withdrawn", organisation=Named(pk=3, name="M2")),
    ]
    return consultation(
        procedure=more.pop("procedure", "adapted"),
        groupement=SimpleNamespace(
            state=more.pop("groupement_state", "in_force"), memberships=rows(members)
        ),
        nature="services",
        estimated_value=value,
        lots=rows(range(lots)),
        documents=rows(SimpleNamespace(kind=k, current=True) for k in documents),
        review_round=1,
        reviews=rows(SimpleNamespace(pk=pk) for pk in approved),
        **more,
    )


GROUPEMENT_NOT_IN_FORCE = (
    "Une consultation ne se lance que dans un groupement en vigueur (convention constitutive, "
    "art. L2113-7 CCP)."
)


def test_a_consultation_is_reviewed_inside_a_groupement_in_force_with_its_lots_and_documents():
    with clock.frozen_at(clock.paris_moment(2027, 2, 1, 10)):
        assert rules.review_blockers(reviewed()) == []
        c = reviewed(groupement_state="deliberating", lots=0, documents=[])
        c.questions_deadline = c.offers_deadline
        errors = rules.review_blockers(c)
    assert errors == [
        GROUPEMENT_NOT_IN_FORCE,
        "Une consultation comporte au moins un lot.",
        "Pièces du DCE manquantes avant la relecture par les membres : Règlement de la "
        "consultation (RC).",
        "La date limite des questions doit précéder la date limite de remise des offres.",
    ]


def test_the_review_refuses_a_mapa_at_the_threshold_on_the_day():
    with clock.frozen_at(clock.paris_moment(2027, 2, 1, 10)):
        assert rules.review_blockers(reviewed(value=Decimal(216000) - CENT)) == []
        errors = rules.review_blockers(reviewed(value=Decimal(216000)))
    assert errors == threshold_refusal("216\xa0000", "216\xa0000", "1er février 2027")


@pytest.mark.parametrize(
    ("procedure", "documents", "missing"),
    [
        ("adapted", ["rc"], None),
        ("open", ["rc", "ccap", "cctp", "ae"], None),
        (
            "restricted",
            ["rc", "cctp"],
            "Cahier des clauses administratives particulières (CCAP), Acte d’engagement (AE)",
        ),
        ("negotiated", ["ccap", "cctp", "ae"], "Règlement de la consultation (RC)"),
    ],
)
def test_a_formal_procedure_needs_its_four_tender_documents(procedure, documents, missing):
    errors = rules.document_errors(reviewed(procedure=procedure, documents=documents))
    assert errors == (
        [f"Pièces du DCE manquantes avant la relecture par les membres : {missing}."]
        if missing
        else []
    )


def test_a_replaced_document_no_longer_counts():
    c = reviewed()
    c.documents = rows([SimpleNamespace(kind="rc", current=False)])
    assert rules.document_errors(c)


def test_every_signed_member_approves_before_the_publication():
    c = reviewed(approved=[1], offers=PUBLISHED_AT + 20 * DAY)
    assert [o.name for o in rules.missing_approvals(c)] == ["M1"]
    assert rules.approval_errors(c) == [
        "Le référent de chaque membre approuve le DCE avant la publication ; en attente de : M1."
    ]
    assert rules.approval_errors(reviewed()) == []


def test_the_publication_says_every_blocker_with_the_day_of_publication():
    now = clock.paris_moment(2027, 2, 26, 23, 30)
    c = reviewed(
        groupement_state="draft",
        approved=[],
        value=Decimal(216000),
        documents=[],
        offers=now + 10 * DAY,
    )
    errors = rules.publication_blockers(c, now=now)
    assert errors == [
        GROUPEMENT_NOT_IN_FORCE,
        "Le référent de chaque membre approuve le DCE avant la publication ; en attente de : "
        "COORD, M1.",
        *threshold_refusal("216\xa0000", "216\xa0000", "26 février 2027"),
        "Pièces du DCE manquantes avant la relecture par les membres : Règlement de la "
        "consultation (RC).",
        "La date limite de remise des offres est trop proche : le délai minimal légal est de 15 "
        "jours (art. R2151-1 CCP, délai raisonnable), soit pas avant le 13 mars 2027 "
        "à 23\xa0h\xa030 pour une publication maintenant.",
    ]
    ready = reviewed(offers=now + 15 * DAY)
    assert rules.publication_blockers(ready, now=now) == []


def test_the_publication_runs_on_the_clock_when_no_moment_is_given():
    with clock.frozen_at(PUBLISHED_AT):
        assert rules.publication_blockers(reviewed(offers=PUBLISHED_AT + 15 * DAY)) == []
        assert rules.publication_blockers(reviewed(offers=PUBLISHED_AT + 14 * DAY))


# --- Answers, reasons and negotiation --------------------------------------------------------


def test_a_member_answer_is_given_once_per_round_a_request_for_changes_says_which():
    c = SimpleNamespace(state=State.MEMBER_REVIEW, review_round=1, reviews=rows(exists=True))
    assert rules.review_answer_errors(c, "M1", approve=False, comment=" ") == [
        "Indiquez les modifications demandées par le membre."
    ]
    assert rules.review_answer_errors(c, "M1", approve=True, comment="") == [
        "Ce membre a déjà répondu lors de ce tour de relecture."
    ]
    c.reviews = rows(exists=False)
    assert rules.review_answer_errors(c, "M1", approve=True, comment="") == []


@pytest.mark.parametrize(
    ("check", "message"),
    [
        (rules.question_text_errors, "La question est vide."),
        (rules.answer_text_errors, "La réponse est vide."),
        (
            rules.cancellation_reason_errors,
            "Indiquez pourquoi la consultation est déclarée sans suite.",
        ),
        (rules.extension_reason_errors, "Indiquez pourquoi la date limite est reportée."),
    ],
)
def test_an_empty_text_or_reason_is_refused(check, message):
    assert check(" \n") == [message]
    assert check("Motif") == []


@pytest.mark.parametrize(
    ("procedure", "refused"),
    [("open", True), ("restricted", True), ("negotiated", False), ("adapted", False)],
)
def test_an_appel_d_offres_is_never_negotiated(procedure, refused):
    # Art. L2124-2 CCP.
    errors = rules.negotiation_errors(SimpleNamespace(procedure=procedure))
    assert errors == (
        [
            "Un appel d’offres s’attribue sans négociation (art. L2124-2 CCP) ; seules la "
            "procédure adaptée et la procédure avec négociation permettent de négocier."
        ]
        if refused
        else []
    )


def test_a_document_is_checked_for_its_type():
    upload = SimpleNamespace(name="offre.exe", size=10)
    assert rules.document_file_errors(upload) == [
        "Types de fichiers acceptés : pdf, docx, xlsx, odt, ods, zip."
    ]


# --- Abnormally low offers (art. R2152-3 CCP; ratios from settings) ---------------------------


def bid(pk, price, *, late=False, offer=OfferState.REGULAR, estimate=Decimal(100000)):
    return SimpleNamespace(
        pk=pk, price=price, late=late, offer=offer, lot=SimpleNamespace(estimated_value=estimate)
    )


MEAN_REASON = "inférieure à 80\xa0% de la moyenne des autres offres régulières ({mean}\xa0€\xa0HT)"
ESTIMATE_REASON = "inférieure à 70\xa0% de l’estimation (100\xa0000\xa0€\xa0HT)"


@pytest.mark.parametrize(
    ("price", "flagged"),
    [(Decimal(80000) - CENT, True), (Decimal(80000), False), (Decimal(80000) + CENT, False)],
)
def test_a_price_below_80_percent_of_the_others_mean_is_abnormally_low(price, flagged):
    # The mean of 90 000 and 110 000 is 100 000; the estimate is far below both.
    others = [bid(2, Decimal(90000)), bid(3, Decimal(110000))]
    candidate = bid(1, price, estimate=Decimal(1))
    reasons = rules.abnormally_low_reasons(candidate, [candidate, *others])
    assert reasons == ([MEAN_REASON.format(mean="100\xa0000")] if flagged else [])


@pytest.mark.parametrize(
    ("price", "flagged"),
    [(Decimal(70000) - CENT, True), (Decimal(70000), False), (Decimal(70000) + CENT, False)],
)
def test_a_price_below_70_percent_of_the_estimate_is_abnormally_low(price, flagged):
    candidate = bid(1, price)
    reasons = rules.abnormally_low_reasons(candidate, [candidate])
    assert reasons == ([ESTIMATE_REASON] if flagged else [])


def test_only_the_other_regular_offers_received_in_time_make_the_mean():
    candidate = bid(1, Decimal(75000))
    lot_bids = [
        candidate,
        bid(2, Decimal(100000)),
        bid(3, Decimal(10**6), late=True),
        bid(4, Decimal(10**6), offer=OfferState.IRREGULAR),
        bid(5, None),
    ]
    assert rules.abnormally_low_reasons(candidate, lot_bids) == [
        MEAN_REASON.format(mean="100\xa0000")
    ]
    both = bid(1, Decimal(50000))
    assert rules.abnormally_low_reasons(both, [both, bid(2, Decimal(100000))]) == [
        MEAN_REASON.format(mean="100\xa0000"),
        ESTIMATE_REASON,
    ]


def test_the_ratios_come_from_settings(settings):
    settings.ABNORMALLY_LOW_MEAN_RATIO = "0.50"
    settings.ABNORMALLY_LOW_ESTIMATE_RATIO = "0.40"
    candidate = bid(1, Decimal(45000))
    assert rules.abnormally_low_reasons(candidate, [candidate, bid(2, Decimal(100000))]) == [
        "inférieure à 50\xa0% de la moyenne des autres offres régulières (100\xa0000\xa0€\xa0HT)"
    ]
    candidate.price = Decimal(39999)
    assert rules.abnormally_low_reasons(candidate, [candidate])[0].startswith(
        "inférieure à 40\xa0% de l’estimation"
    )


def test_each_offers_mean_of_the_others_comes_from_the_lots_sum_once():
    """A lot of 200 offers judges each against the mean of the 199 others: its prices are
    added up once (RegularPrices), each mean is one subtraction, and each verdict is the one
    the full list gives."""
    lot_bids = [bid(n, Decimal(100000 + 997 * n)) for n in range(1, 40)]
    lot_bids += [bid(40, Decimal(60000)), bid(41, Decimal(10**6), late=True), bid(42, None)]
    prices = rules.RegularPrices.of(lot_bids)
    assert (prices.count, prices.total) == (40, sum(b.price for b in lot_bids[:40]))
    for candidate in lot_bids:
        assert rules.abnormally_low_reasons(candidate, prices) == rules.abnormally_low_reasons(
            candidate, lot_bids
        )
    others = [b.price for b in lot_bids[1:40]]
    assert prices.mean_of_others(lot_bids[0]) == sum(others) / len(others)
    # An offer not in the total (late, or not of the lot) is compared with all of them.
    outsider = bid(99, Decimal(1000))
    assert prices.mean_of_others(outsider) == prices.total / 40
    assert rules.RegularPrices.of([lot_bids[0]]).mean_of_others(lot_bids[0]) is None
    assert rules.abnormally_low_reasons(lot_bids[-3], prices)[0].startswith("inférieure à 80")


@pytest.mark.parametrize("fields", [{"price": None}, {"late": True}])
def test_a_late_or_unpriced_bid_is_never_flagged(fields):
    candidate = bid(1, **{"price": Decimal(1), **fields})
    assert rules.abnormally_low_reasons(candidate, [candidate, bid(2, Decimal(100000))]) == []


# --- Bids: identity, reasons and judgements --------------------------------------------------


@pytest.mark.parametrize(("siret", "foreign_id"), [("73282932000074", ""), ("", "DE811569869")])
def test_a_bidder_is_identified_by_a_siret_or_a_foreign_identifier(siret, foreign_id):
    assert bid_rules.bidder_identity_errors(siret=siret, foreign_id=foreign_id) == []


@pytest.mark.parametrize(("text", "refused"), [(" ", True), ("Motif", False)])
def test_judging_a_justification_or_declaring_unsuccessful_states_a_reason(text, refused):
    assert bool(bid_rules.price_judgement_reason_errors(text)) is refused
    assert bool(bid_rules.unsuccessful_reason_errors(text)) is refused


def test_a_bid_in_time_is_analysed_and_a_judgement_waits_for_none():
    assert bid_rules.late_bid_errors(SimpleNamespace(late=False)) == []
    requested = SimpleNamespace(low_price_requested_at=PUBLISHED_AT, low_price_decision="")
    assert bid_rules.price_judgement_errors(requested) == []
