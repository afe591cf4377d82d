import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import clock as server_clock
from groupement import services
from groupement.access import grant_role
from groupement.models import Groupement, GroupementState, Membership, Role
from tests.factories import OrganisationFactory, deliberate, pdf, person, terms
from tests.helpers import db_fingerprint, query_counts


def test_pages_require_login(client, world):
    response = client.get(reverse("groupement:detail", args=[world.ours.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_list_shows_only_the_groupements_one_belongs_to(client, world):
    client.force_login(world.user("M1", Role.LECTEUR))
    body = client.get(reverse("groupement:list")).content.decode()
    assert "Notre groupement" in body
    assert "Leur groupement confidentiel" not in body


def test_an_outsider_gets_404_on_a_groupement(client, world):
    client.force_login(world.user("OUT1", Role.GESTIONNAIRE))
    assert client.get(reverse("groupement:detail", args=[world.ours.pk])).status_code == 404
    assert client.get(reverse("groupement:edit", args=[world.ours.pk])).status_code == 404


def test_a_member_without_the_right_gets_403(client, world):
    client.force_login(world.user("M1", Role.GESTIONNAIRE))
    before = db_fingerprint()
    assert client.get(reverse("groupement:edit", args=[world.ours.pk])).status_code == 403
    assert client.post(reverse("groupement:submit", args=[world.ours.pk])).status_code == 403
    assert db_fingerprint() == before


def test_action_views_refuse_get(client, world):
    client.force_login(world.coordinator())
    assert client.get(reverse("groupement:submit", args=[world.ours.pk])).status_code == 405
    assert client.get(reverse("groupement:put_in_force", args=[world.ours.pk])).status_code == 405


def test_the_detail_shows_members_shares_and_history_in_french(client, world):
    client.force_login(world.user("M2", Role.LECTEUR))
    body = client.get(reverse("groupement:detail", args=[world.ours.pk])).content.decode()
    assert "Organisation M1" in body
    assert "40,00 %" in body and "100,00 %" in body
    assert "création" in body  # the journal's entry
    assert "Brouillon" in body


def test_buttons_show_only_what_the_role_allows_now(client, world):
    world.ours_in(GroupementState.DELIBERATING)
    m1 = world.membership("M1")
    deliberation_url = reverse("groupement:membership_deliberation", args=[m1.pk])
    detail = reverse("groupement:detail", args=[world.ours.pk])

    client.force_login(world.user("M1", Role.REFERENT))
    assert deliberation_url in client.get(detail).content.decode()
    client.force_login(world.user("M2", Role.REFERENT))
    assert deliberation_url not in client.get(detail).content.decode()
    client.force_login(world.coordinator())
    body = client.get(detail).content.decode()
    assert deliberation_url not in body
    assert reverse("groupement:put_in_force", args=[world.ours.pk]) not in body


def test_the_whole_convention_through_the_pages(client, world):
    client.force_login(world.coordinator())
    client.post(reverse("groupement:submit", args=[world.ours.pk]))
    for key in ("COORD", "M1", "M2"):
        membership = world.membership(key)
        client.force_login(world.user(key, Role.REFERENT))
        response = client.post(
            reverse("groupement:membership_deliberation", args=[membership.pk]),
            {"number": f"{key}-12", "date": "2024-04-02", "document": pdf()},
        )
        assert response.status_code == 302, response.content.decode()
        response = client.post(
            reverse("groupement:membership_sign", args=[membership.pk]),
            {"signed_on": "2024-04-10"},
        )
        assert response.status_code == 302
    client.force_login(world.coordinator())
    client.post(reverse("groupement:put_in_force", args=[world.ours.pk]))
    world.ours.refresh_from_db()
    assert world.ours.state == GroupementState.IN_FORCE
    m1 = world.membership("M1")
    assert m1.decision_number == "M1-12"
    assert m1.decision_date == datetime.date(2024, 4, 2)
    assert len(m1.decision_document_sha256) == 64
    assert not m1.decision_document.name.endswith("deliberation.pdf")  # stored under our name


def test_the_deliberation_document_is_served_only_inside_the_groupement(client, world):
    world.ours_in(GroupementState.DELIBERATING)
    membership = deliberate(world.membership("M1"), world.user("M1", Role.REFERENT))
    url = reverse("groupement:membership_document", args=[membership.pk])
    client.force_login(world.user("M2", Role.LECTEUR))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(world.user("OUT2", Role.REFERENT))
    assert client.get(url).status_code == 404


def test_the_dashboard_lists_what_waits_for_each_role(client, world):
    world.ours_in(GroupementState.DELIBERATING)
    client.force_login(world.user("M1", Role.REFERENT))
    body = client.get(reverse("groupement:dashboard")).content.decode()
    assert reverse("groupement:membership_deliberation", args=[world.membership("M1").pk]) in body
    client.force_login(world.coordinator())
    body = client.get(reverse("groupement:dashboard")).content.decode()
    assert "COORD, M1, M2" in body  # the members whose deliberation is awaited
    client.force_login(world.user("M1", Role.LECTEUR))
    body = client.get(reverse("groupement:dashboard")).content.decode()
    assert reverse("groupement:detail", args=[world.ours.pk]) not in body


def _bigger_groupement(world, n_members):
    orgs = [world.orgs["COORD"]] + [OrganisationFactory() for _ in range(n_members - 1)]
    for org in orgs[1:]:
        for role in Role:
            person(org, role)
    share = Decimal(100) / n_members
    shares = [share.quantize(Decimal("0.01"))] * (n_members - 1)
    shares.append(Decimal(100) - sum(shares))
    return services.groupement_create(
        user=world.coordinator(),
        terms=terms(
            coordinator_people={r: world.user("COORD", r) for r in Role},
            members=list(zip(orgs, shares, strict=True)),
            name=f"Groupement à {n_members}",
        ),
    )


def test_the_detail_page_reads_as_many_queries_for_2_members_as_for_8(client, world):
    small, large = (_bigger_groupement(world, n) for n in (2, 8))
    client.force_login(world.coordinator())

    def page(groupement):
        response = client.get(reverse("groupement:detail", args=[groupement.pk]))
        assert response.status_code == 200

    counts = query_counts(lambda: page(small), lambda: page(large))
    assert counts[0] == counts[1] <= 30, counts


def test_the_list_page_reads_as_many_queries_for_1_groupement_as_for_6(client, world):
    def create(i):
        services.groupement_create(
            user=world.coordinator(),
            terms=terms(
                coordinator_people={r: world.user("COORD", r) for r in Role},
                members=[(world.orgs["COORD"], Decimal(50)), (world.orgs["M1"], Decimal(50))],
                name=f"Liste {i}",
            ),
        )

    def page(expected):
        body = client.get(reverse("groupement:list")).content.decode()
        assert body.count("Liste ") == expected

    create(0)
    client.force_login(world.user("M1", Role.LECTEUR))
    (one,) = query_counts(lambda: page(1))
    for i in range(1, 6):
        create(i)
    (six,) = query_counts(lambda: page(6))
    assert one == six <= 12, (one, six)


def test_withdrawal_takes_the_member_out_of_the_key(client, world):
    world.ours_in(GroupementState.DELIBERATING)
    client.force_login(world.user("M2", Role.REFERENT))
    client.post(
        reverse("groupement:membership_withdraw", args=[world.membership("M2").pk]),
        {"reason": "Le conseil a renoncé."},
    )
    assert world.membership("M2").state == "withdrawn"
    blockers = " ".join(Groupement.objects.get(pk=world.ours.pk).in_force_blockers())
    assert "75\u00a0%" in blockers
    assert Membership.objects.filter(groupement=world.ours).count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_is_kept_until_the_journal_moves_a_role_changes_or_the_minute_turns(
    client, world
):
    world.ours_in(GroupementState.DELIBERATING)
    membership = world.membership("M1")
    deliberation = reverse("groupement:membership_deliberation", args=[membership.pk])
    reader = world.user("M1", Role.LECTEUR)
    client.force_login(reader)
    minute = server_clock.now().replace(second=0, microsecond=0)

    def dashboard(at):
        with server_clock.frozen_at(at), CaptureQueriesContext(connection) as queries:
            body = client.get(reverse("groupement:dashboard")).content.decode()
        return body, len(queries)

    first, computed = dashboard(minute)
    _, kept = dashboard(minute)
    assert kept < computed  # the list is kept: fewer queries
    grant_role(reader, Role.REFERENT)  # no journal entry: the roles are in the key
    body, _ = dashboard(minute)
    assert deliberation in body and deliberation not in first
    assert dashboard(minute + datetime.timedelta(seconds=59))[1] == kept  # the same minute
    # The next minute: the steps that fell due are counted again.
    assert dashboard(minute + datetime.timedelta(minutes=1))[1] > kept
    with server_clock.frozen_at(minute + datetime.timedelta(minutes=1)):
        deliberate(membership, reader)  # journaled: the list is computed again
    body, count = dashboard(minute + datetime.timedelta(minutes=1))
    assert deliberation not in body and count > kept
