"""Request every URL pattern of the project as each role, for our groupement and for theirs.

No request may answer 500, and no page may show the other groupement's data. New URL patterns
are covered automatically; one with a new kind of argument fails here until kwarg_values()
learns it.
"""

import functools
import hashlib
import re
from decimal import Decimal

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType

from contracts.models import Amendment, Award, AwardDecision, Contract, Letter
from core import clock as server_clock
from core.routes import all_routes, fill
from groupement.models import Groupement, Role
from procurement import services
from procurement.models import Bid
from scoring import services as scoring
from scoring.models import ScoreSheet
from scoring.rules import scored_criteria as scoring_criteria
from tests.conftest import THEIR_NAME, THEIR_PURPOSE, rolled_back
from tests.fixtures_procurement import build_consultation, register_with
from tests.helpers import db_fingerprint
from tests.scoring.conftest import example_grid


def kwarg_values(world, groupement):
    membership = groupement.memberships.order_by("pk").first()
    consultation = groupement.consultations.order_by("pk").first()
    bid = Bid.objects.filter(lot__consultation=consultation).first()
    contract = Contract.objects.get(lot__consultation=consultation)
    return {
        "award_pk": contract.award_id,
        "letter_pk": Letter.objects.get(award=contract.award_id).pk,
        "contract_pk": contract.pk,
        "amendment_pk": contract.amendments.get().pk,
        "pk": groupement.pk,
        "membership_pk": membership.pk,
        "consultation_pk": consultation.pk,
        "document_pk": consultation.documents.order_by("pk").first().pk,
        "bid_document_pk": bid.documents.first().pk,
        "bid_pk": bid.pk,
        "lot_pk": consultation.lots.first().pk,
        "criterion_pk": consultation.lots.first().grid.criteria.first().pk,
        "sheet_pk": ScoreSheet.objects.filter(bid__lot__consultation=consultation).first().pk
        if ScoreSheet.objects.filter(bid__lot__consultation=consultation).exists()
        else 0,
        "fmt": "xlsx",
        "step": "analyse",
        "question_pk": consultation.questions.first().pk,
        # Django admin
        "app_label": "groupement",
        "object_id": groupement.pk,
        "content_type_id": ContentType.objects.get_for_model(Groupement).pk,
        "url": "inconnu/",
        "id": groupement.coordinator.people.first().pk,
        "uidb64": "MQ",
        "token": "jeton",
    }


# What French pages never show: Django's empty choice, a parenthesis inside another (« Claire
# (gestionnaire) » in brackets), a time written « 12:00 » instead of « 12 h 00 ».
UNTIDY = re.compile(r"-{9}|\(\([^)]*\)\)|\(([^()]*\([^()]*\))+\)|\b\d{1,2}:\d{2}\b")


def untidy_french(html: str) -> list[str]:
    """The untidy writings of a page's text (its tags, scripts and styles left out)."""
    text = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", html, flags=re.S)
    return UNTIDY.findall(text) and [m.group(0) for m in UNTIDY.finditer(text)]


CRAWLERS = [(org, role) for org in ("COORD", "M1") for role in Role]


@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture(scope="module", autouse=True)
def crawled(module_world):
    """Both groupements in force, each with a consultation in analysis: a grid, a question, a
    bid scored in a draft sheet by one of its members' evaluators. Built once for the module."""
    with rolled_back():
        _build(module_world.fresh())
        yield


def _build(world):
    consultation_in = functools.partial(build_consultation, world)
    register_bid = register_with(world)
    world.ours_in("in_force")
    world.theirs_in_force()
    published = []
    for groupement, reference, title in [
        (world.ours, "NOTRE-001", "Notre consultation"),
        (world.theirs, "LEUR-001", THEIR_PURPOSE),
    ]:
        consultation = consultation_in(
            "published",
            groupement=groupement,
            reference=reference,
            title=title,
            grid=example_grid(),
        )
        bid = register_bid(consultation, f"Opérateur {reference}", consultation.pk)
        services.question_record(
            consultation=consultation,
            user=world.coordinator_of(groupement),
            text=f"Question sur {title}",
            sender="Candidat <script>x</script>",
            sender_email="candidat@operateur.invalid",
        )
        published.append((groupement, consultation, bid))
    server_clock.move(days=41)
    for groupement, consultation, bid in published:
        coordinator = world.coordinator_of(groupement)
        services.consultation_open_bids(consultation=consultation, user=coordinator)
        services.consultation_start_analysis(consultation=consultation, user=coordinator)
        services.bid_decide(bid=bid, user=coordinator, decision="admit")
        services.bid_decide(bid=bid, user=coordinator, decision="mark_regular", reason="Conforme.")
        evaluator = world.user("M1" if groupement == world.ours else "OUT2", Role.EVALUATEUR)
        seat = scoring.panel_name(lot=bid.lot, user=coordinator, evaluator=evaluator)
        scoring.declaration_sign(panel_member=seat, user=evaluator)
        criterion = scoring_criteria(bid.lot.grid)[0]
        scoring.sheet_save(bid=bid, user=evaluator, scores={criterion: (Decimal(6), "Brouillon")})
        _award_objects(bid, coordinator, title=consultation.title)


def _award_objects(bid, coordinator, *, title):
    """An award, a letter, a notified contract and a proposed amendment, made directly: the
    crawl needs their pages, not the steps that lead to them (tested in tests/procurement)."""
    from django.core.files.base import ContentFile

    now = server_clock.now()
    award = Award.objects.create(
        lot=bid.lot, bid=bid, rank=1, total=Decimal(80), proposed_by=coordinator, proposed_at=now
    )
    AwardDecision.objects.create(
        consultation=bid.lot.consultation,
        award_round=bid.lot.consultation.award_round,
        body="coordinator",
        decided_on=now.date(),
        recorded_by=coordinator,
        recorded_at=now,
    )
    Letter.objects.create(
        award=award,
        bid=bid,
        kind="award",
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="courrier.pdf"),
        sha256=hashlib.sha256(b"%PDF-1.4\n%%EOF\n").hexdigest(),
        sent_at=now,
        electronic=True,
    )
    contract = Contract.objects.create(
        lot=bid.lot,
        award=award,
        holder=bid.bidder,
        number=f"C{bid.pk}",
        title=title,
        amount=Decimal(500000),
        duration_months=36,
        state="notified",
        signed_on=now.date(),
        notified_on=now.date(),
    )
    Amendment.objects.create(
        contract=contract,
        number=1,
        ground="small",
        description=title,
        amount_change=Decimal(1000),
        proposed_by=coordinator,
        proposed_at=now,
    )


def test_the_crawl_knows_every_route_argument(world):
    missing = set()
    for _ns, _name, route in all_routes():
        for values in (kwarg_values(world, world.ours),):
            try:
                fill(route, values)
            except KeyError as error:
                missing.add((route, error.args[0]))
    assert not missing, f"add these arguments to kwarg_values() in tests/test_crawl.py: {missing}"


@pytest.mark.parametrize("crawler", CRAWLERS, ids=[f"{o}.{r}" for o, r in CRAWLERS])
def test_every_page_as_every_role_shows_no_error_and_nothing_of_another_groupement(
    client, world, crawler
):
    client.force_login(world.user(*crawler))
    routes = all_routes()
    assert len(routes) > 20
    requested = 0
    theirs, ours = kwarg_values(world, world.theirs), kwarg_values(world, world.ours)
    for _ns, name, route in routes:
        theirs_url = fill(route, theirs)
        ours_url = fill(route, ours)
        before = db_fingerprint()
        for method in ("get", "post"):
            response = getattr(client, method)(theirs_url)
            requested += 1
            assert response.status_code < 500, (method, theirs_url)
            body = response.content.decode(errors="replace")
            leaked = THEIR_NAME in body or THEIR_PURPOSE in body
            assert not leaked, f"{method.upper()} {theirs_url} shows their groupement ({name})"
        assert db_fingerprint() == before, f"a request on {theirs_url} changed the database"
        for method in ("get", "post"):
            response = getattr(client, method)(ours_url)
            assert response.status_code < 500, (method, ours_url)
            requested += 1
            ours_page = _ns != "admin" and name != "health"  # not Django's nor the library's
            if ours_page and response.get("Content-Type", "").startswith("text/html"):
                assert not untidy_french(response.content.decode()), (method, ours_url)
        if SESSION_KEY not in client.session:  # the logout route ended the session
            client.force_login(world.user(*crawler))
    assert requested >= 4 * len(routes)


def test_every_page_as_an_anonymous_visitor_shows_nothing(client, world):
    theirs = kwarg_values(world, world.theirs)
    for _ns, _name, route in all_routes():
        url = fill(route, theirs)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code < 500, (method, url)
            assert THEIR_NAME not in response.content.decode(errors="replace")


def test_every_page_as_a_superuser_shows_no_error(admin_client, world):
    ours = kwarg_values(world, world.ours)
    for _ns, _name, route in all_routes():
        url = fill(route, ours)
        response = admin_client.get(url)
        assert response.status_code < 500, url
