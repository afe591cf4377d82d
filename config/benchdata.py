"""The benchmark data set: the demo, plus a consultation the size of a large real one.

At full size (`LARGE`): one lot with 200 bids, 30 scored criteria and 15 evaluators, so 90 000
individual scores and 6 000 consolidated ones; 17 other consultations of 10 bids; the demo's
operator contract with 50 amendments. The tests of query counts build it at two small sizes.

What a person does goes through the services (consultations, deposits, opening, decisions,
panel, declarations, amendments), so the journal is the one the story would have. The score
sheets, the scores and the consolidated scores are inserted in bulk: 3 000 sheets through the
services would take an hour. They are the rows the services write, all sheets submitted and
every consolidated score equal to the evaluators' mean.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from config.demo import seed_demo
from config.demo.consultations import MEMBERS, PARC_OPERATOR, prepare_and_publish
from config.demo.organisations import DEMO_PASSWORD, PARC
from contracts import services as contracts
from core import clock
from core.routes import all_routes, fill
from groupement.access import grant_role
from groupement.identifiers import with_luhn_key
from groupement.models import Groupement, Organisation, Role, User
from procurement import services as procurement
from procurement.models import Consultation
from scoring import services as scoring
from scoring.models import Consolidated, Score, ScoreSheet, SheetState
from scoring.price import round_score
from scoring.rules import CriterionSpec, scored_criteria

REFERENCE = "BANC-2026-01"
LEVELS = "0: absent\n5: correct\n10: excellent"


@dataclass(frozen=True)
class Size:
    bids: int = 200
    criteria: int = 30  # scored sub-criteria of the technical value; 60 must divide by it
    evaluators: int = 15
    others: int = 17  # other consultations
    other_bids: int = 10
    amendments: int = 50  # of the demo's operator contract, its first one included


LARGE = Size()


@dataclass
class Bench:
    consultation: Consultation
    people: dict  # the demo's people, by (organisation short name, role)
    evaluators: list  # the panel of the large lot

    @property
    def lot(self):
        return self.consultation.lots.get()

    @property
    def contract(self):
        return Consultation.objects.get(reference=PARC_OPERATOR).lots.get().contract


def _moment(days_from_start, hour=10):
    return clock.now() + datetime.timedelta(days=days_from_start, hours=hour - 10)


def _evaluators(size):
    """Distinct people at the members, each an evaluator."""
    organisations = list(Organisation.objects.filter(short_name__in=MEMBERS).order_by("pk"))
    people = []
    for i in range(size.evaluators):
        org = organisations[i % len(organisations)]
        user, created = User.objects.get_or_create(
            username=f"banc.evaluateur{i + 1}",
            defaults={
                "organisation": org,
                "first_name": "Évaluateur",
                "last_name": f"n° {i + 1}",
                "email": f"banc.evaluateur{i + 1}@demo.invalid",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        grant_role(user, Role.EVALUATEUR)
        people.append(user)
    return people


def _consultation(groupement, coordinator, reference, title, estimate, criteria):
    consultation = procurement.consultation_create(
        groupement=groupement,
        user=coordinator,
        terms=procurement.ConsultationTerms(
            reference=reference,
            title=title,
            procedure="open",
            nature="services",
            cpv_code="79411100-9",
            electronic_submission=True,
            urgency=False,
            offer_validity_days=120,
            questions_deadline=_moment(33, 12),
            offers_deadline=_moment(40, 12),
            lots=[procurement.LotTerms(title=title, estimated_value=estimate)],
        ),
    )
    weight = Decimal(60) / criteria
    scoring.grid_define(
        lot=consultation.lots.get(),
        user=coordinator,
        price_formula="proportional",
        criteria=[
            CriterionSpec("Prix", Decimal(40), is_price=True),
            CriterionSpec(
                "Valeur technique",
                Decimal(60),
                children=[
                    CriterionSpec(f"Sous-critère technique n° {i + 1}", weight, levels=LEVELS)
                    for i in range(criteria)
                ],
            ),
        ],
    )
    return consultation


def _publish_and_receive(consultation, people, bids, first_bidder):
    coordinator = people[("PMA", Role.GESTIONNAIRE)]
    prepare_and_publish(consultation, people)
    lot = consultation.lots.get()
    registered = []
    for i in range(bids):
        number = first_bidder + i
        bidder = procurement.bidder_for(
            name=f"Opérateur d'essai n° {number:03d}",
            siret=with_luhn_key(f"{700000000 + number:09d}0001"),
            email=f"offres{number:03d}@banc.invalid",
        )
        # Prices within 3 % of each other and above 80 % of the estimate: none abnormally low.
        price = Decimal(500_000 + (i * 7919) % 15_000)
        registered.append(
            procurement.bid_register(
                lot=lot,
                user=coordinator,
                terms=procurement.BidTerms(bidder=bidder, price=price),
            )
        )
    return registered


def _open_and_admit(consultation, coordinator, bids):
    procurement.consultation_open_bids(consultation=consultation, user=coordinator)
    procurement.consultation_start_analysis(consultation=consultation, user=coordinator)
    for bid in bids:
        procurement.bid_decide(bid=bid, user=coordinator, decision="admit")
        procurement.bid_decide(
            bid=bid, user=coordinator, decision="mark_regular", reason="Offre conforme."
        )


def _scores(lot, bids, seats, coordinator):
    """Every sheet submitted, and every (bid, criterion) consolidated at the evaluators' mean."""
    criteria = scored_criteria(lot.grid)
    now = clock.now()
    sheets = ScoreSheet.objects.bulk_create(
        ScoreSheet(panel_member=seat, bid=bid, state=SheetState.SUBMITTED, submitted_at=now)
        for seat in seats
        for bid in bids
    )
    index = {bid.pk: i for i, bid in enumerate(bids)}
    seat_index = {seat.pk: j for j, seat in enumerate(seats)}

    def value(bid_pk, seat_pk, k):
        return Decimal((index[bid_pk] * 7 + seat_index[seat_pk] * 3 + k * 5) % 11)

    Score.objects.bulk_create(
        (
            Score(
                sheet=sheet,
                criterion=criterion,
                value=value(sheet.bid_id, sheet.panel_member_id, k),
                justification=f"Appréciation argumentée du sous-critère n° {k + 1}.",
            )
            for sheet in sheets
            for k, criterion in enumerate(criteria)
        ),
        batch_size=5000,
    )
    consolidated = []
    for bid in bids:
        for k, criterion in enumerate(criteria):
            values = [value(bid.pk, seat.pk, k) for seat in seats]
            mean = round_score(sum(values, Decimal(0)) / len(values))
            consolidated.append(
                Consolidated(
                    bid=bid,
                    criterion=criterion,
                    value=mean,
                    mean=mean,
                    set_by=coordinator,
                    set_at=now,
                )
            )
    Consolidated.objects.bulk_create(consolidated, batch_size=5000)


def _large_consultation(groupement, people, size, evaluators):
    coordinator = people[("PMA", Role.GESTIONNAIRE)]
    with clock.restored():
        consultation = _consultation(
            groupement,
            coordinator,
            REFERENCE,
            "Animation des sites du Parc d'innovation (banc d'essai)",
            Decimal("600000"),
            size.criteria,
        )
        bids = _publish_and_receive(consultation, people, size.bids, first_bidder=1)
        clock.move(days=41)
        _open_and_admit(consultation, coordinator, bids)
        lot = consultation.lots.get()
        seats = []
        for evaluator in evaluators:
            seat = scoring.panel_name(lot=lot, user=coordinator, evaluator=evaluator)
            seats.append(scoring.declaration_sign(panel_member=seat, user=evaluator))
        _scores(lot, bids, seats, coordinator)
    return consultation


def _other_consultations(groupement, people, size):
    """Published ones taking deposits, and every other one in analysis."""
    coordinator = people[("PMA", Role.GESTIONNAIRE)]
    for n in range(size.others):
        with clock.restored():
            consultation = _consultation(
                groupement,
                coordinator,
                f"BANC-2026-{n + 2:02d}",
                f"Prestation d'essai n° {n + 2}",
                Decimal("600000"),
                criteria=3,
            )
            bids = _publish_and_receive(
                consultation, people, size.other_bids, first_bidder=1000 + n * size.other_bids
            )
            if n % 2:
                clock.move(days=41)
                _open_and_admit(consultation, coordinator, bids)


def _amendments(people, size):
    """The demo's operator contract gets its amendments up to `size.amendments`, each proposed,
    approved by every member, signed and notified."""
    coordinator = people[("PMA", Role.GESTIONNAIRE)]
    contract = Consultation.objects.get(reference=PARC_OPERATOR).lots.get().contract
    for n in range(contract.amendments.count(), size.amendments):
        amendment = contracts.amendment_propose(
            contract=contract,
            user=coordinator,
            ground="small",
            description=f"Atelier supplémentaire n° {n + 1} demandé par les membres.",
            amount_change=Decimal("100.00"),
        )
        for short in MEMBERS:
            amendment = contracts.amendment_review(
                amendment=amendment, user=people[(short, Role.REFERENT)], approve=True
            )
        amendment = contracts.amendment_sign(
            amendment=amendment, user=coordinator, on=clock.today()
        )
        contracts.amendment_notify(amendment=amendment, user=coordinator, on=clock.today())


@transaction.atomic
def build(size: Size = LARGE) -> Bench:
    """The demo and the benchmark's consultations, in one transaction; built once."""
    people = seed_demo()
    groupement = Groupement.objects.get(name=PARC)
    evaluators = _evaluators(size)
    consultation = Consultation.objects.filter(reference=REFERENCE).first()
    if consultation is None:
        consultation = _large_consultation(groupement, people, size, evaluators)
        _other_consultations(groupement, people, size)
        _amendments(people, size)
    return Bench(consultation, people, evaluators)


# --- What the page benchmark and the query-count tests request ---------------------------------


def page_arguments(bench) -> dict:
    """The value of each URL argument: the benchmark consultation's objects."""
    consultation, lot = bench.consultation, bench.lot
    contract = bench.contract
    groupement = consultation.groupement
    sheet = ScoreSheet.objects.filter(
        bid__lot=lot, panel_member__evaluator=bench.evaluators[0]
    ).earliest("pk")
    letter = contract.award.letters.order_by("pk").first()
    return {
        "pk": groupement.pk,
        "membership_pk": groupement.memberships.order_by("pk").first().pk,
        "consultation_pk": consultation.pk,
        "lot_pk": lot.pk,
        "bid_pk": sheet.bid_id,
        "sheet_pk": sheet.pk,
        "criterion_pk": lot.grid.criteria.filter(parent__isnull=False).earliest("position").pk,
        "document_pk": consultation.documents.order_by("pk").first().pk,
        "award_pk": contract.award_id,
        "letter_pk": letter.pk,
        "contract_pk": contract.pk,
        "amendment_pk": contract.amendments.order_by("number").last().pk,
        "fmt": "xlsx",
        "step": "analyse",
        "content_type_id": ContentType.objects.get_for_model(Groupement).pk,
    }


def roles(bench) -> dict:
    """A person of each role, by the name the benchmark prints."""
    people = bench.people
    return {
        "coordinateur": people[("PMA", Role.GESTIONNAIRE)],
        "référent": people[("CABBALR", Role.REFERENT)],
        "évaluateur": bench.evaluators[0],
        "membre CAO": people[("PMA", Role.MEMBRE_CAO)],
        "lecteur": people[("CALL", Role.LECTEUR)],
    }


def pages(bench, only="") -> list[tuple[str, str]]:
    """(pattern name, URL) of every page of the site filled in with the benchmark's objects;
    `only`: the pattern names containing this text."""
    values = page_arguments(bench)
    urls = []
    for namespace, name, route in all_routes():
        if namespace == "admin" or route.startswith("admin/") or name in {"logout", "login"}:
            continue
        if only and only not in f"{namespace}:{name}":
            continue
        try:
            urls.append((f"{namespace}:{name}", fill(route, values)))
        except KeyError:
            continue  # an argument the benchmark has no object for
    return urls
