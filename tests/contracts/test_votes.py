"""The committee's votes on the award: one per member present, adopted by a majority, a tie
settled only by the chair's casting vote, and written in the procès-verbal."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from contracts import services
from contracts.award_rules import Votes, votes_errors
from contracts.models import AwardDecision
from core import clock as server_clock
from core.workflow import BusinessRuleError
from groupement.models import Role
from tests.helpers import body_of

CHAIR, OTHER, THIRD = object(), object(), object()
PRESENT = [CHAIR, OTHER, THIRD]


@pytest.mark.parametrize(
    ("votes", "errors"),
    [
        (Votes(2, 1, 0), 0),
        (Votes(2, 0, 1), 0),  # three votes for three present: at the limit
        (Votes(2, 1, 1), 1),  # four votes for three present: one too many
        (Votes(1, 0, 0), 0),  # members present need not all vote
        (Votes(1, 1, 0), 1),  # a tie without the casting vote is not adopted
        (Votes(1, 1, 1, casting=True), 0),  # a tie settled by the chair
        (Votes(2, 1, 0, casting=True), 1),  # a casting vote without a tie
        (Votes(0, 0, 3), 1),  # nobody for
        (Votes(1, 2, 0), 1),
        (Votes(-1, 0, 0), 1),
    ],
)
def test_the_votes_at_their_limits(votes, errors):
    assert len(votes_errors(votes, present=PRESENT, chair=CHAIR)) == errors


def test_a_casting_vote_counts_only_with_the_chair_present():
    errors = votes_errors(Votes(1, 1, 0, casting=True), present=[OTHER, THIRD], chair=CHAIR)
    assert errors == ["La voix prépondérante du président ne compte que s’il est présent."]


def test_the_messages_name_the_majority_rule():
    assert votes_errors(None, present=PRESENT, chair=CHAIR) == [
        "Indiquez les votes de la commission : pour, contre et abstentions."
    ]
    (message,) = votes_errors(Votes(1, 1, 0), present=PRESENT, chair=CHAIR)
    assert "1 pour, 1 contre" in message and "majorité des voix de ses membres présents" in message
    (message,) = votes_errors(Votes(2, 1, 1), present=PRESENT, chair=CHAIR)
    assert message.startswith("4 votes enregistrés pour 3 membres présents")


@pytest.fixture
def proposed(award_flow):
    flow = award_flow()
    award = flow.propose()
    flow.certificates(award)
    flow.submit_proposal()
    return flow


def test_a_decision_without_votes_or_not_adopted_stores_nothing(proposed, world):
    cao = world.user("COORD", Role.MEMBRE_CAO)
    for votes in (None, Votes(0, 1, 0), Votes(2, 0, 0)):
        with pytest.raises(BusinessRuleError):
            services.award_decide(
                consultation=proposed.consultation,
                user=cao,
                decided_on=server_clock.today(),
                present=[cao],
                votes=votes,
            )
    assert not AwardDecision.objects.exists()


def test_the_decision_page_records_the_votes_and_the_minutes_state_them(client, proposed, world):
    cao = world.user("COORD", Role.MEMBRE_CAO)
    client.force_login(cao)
    url = reverse("contracts:award_decide", args=[proposed.consultation.pk])
    form = client.get(url).content.decode()
    for name in ("votes_for", "votes_against", "abstentions", "casting_vote"):
        assert f'name="{name}"' in form
    data = {
        "decided_on": server_clock.today().isoformat(),
        "present": [cao.pk],
        "votes_for": "1",
        "votes_against": "1",
        "abstentions": "0",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200 and "voix prépondérante" in refused.content.decode()
    assert not AwardDecision.objects.exists()
    assert client.post(url, {**data, "votes_against": "0"}).status_code == 302
    decision = AwardDecision.objects.get()
    assert (decision.votes_for, decision.votes_against, decision.abstentions) == (1, 0, 0)
    page = client.get(reverse("contracts:award", args=[proposed.consultation.pk])).content.decode()
    assert "1 pour, 0 contre, 0 abstention" in page
    minutes = client.get(reverse("contracts:award_minutes", args=[proposed.consultation.pk]))
    text = re.sub(
        r"\s+",
        " ",
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(body_of(minutes))).pages),
    )
    assert "Vote : 1 voix pour, 0 voix contre, 0 abstention." in text


def test_the_coordinators_decision_has_no_votes(award_flow):
    from procurement.models import Lot

    flow = award_flow()
    Lot.objects.filter(pk=flow.lot.pk).update(estimated_value=100000)
    award = flow.propose()
    flow.certificates(award)
    flow.submit_proposal()
    decision = services.award_decide(
        consultation=flow.consultation,
        user=flow.coordinator,
        decided_on=server_clock.today(),
        votes=Votes(0, 5, 0),  # ignored: the coordinator decides alone
    )
    assert decision.votes_for is None and not decision.casting_vote
