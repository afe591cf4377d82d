from django.core.management import call_command

from config.demo.organisations import MOBILITE, PARC
from groupement.models import Groupement, GroupementState, MembershipState, User
from journal.models import Entry
from journal.services import journal_verify
from tests.helpers import body_of, db_fingerprint


def test_seed_demo_builds_the_artois_groupements_and_prints_logins(db, capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    parc = Groupement.objects.get(name=PARC)
    assert parc.state == GroupementState.IN_FORCE
    assert parc.coordinator.short_name == "PMA"
    assert sorted(m.organisation.short_name for m in parc.memberships.all()) == [
        "CABBALR",
        "CAHC",
        "CALL",
        "PMA",
    ]
    assert Groupement.objects.get(name=MOBILITE).state == GroupementState.DELIBERATING
    assert {m.state for m in Groupement.objects.get(name=MOBILITE).memberships.all()} == {
        MembershipState.SIGNED,
        MembershipState.DELIBERATED,
        MembershipState.INVITED,
    }
    for username in (
        "pma.gestionnaire",
        "cabbalr.referent",
        "call.evaluateur",
        "cahc.membre_cao",
        "pma.lecteur",
        "admin",
    ):
        assert username in out
        assert User.objects.filter(username=username).exists()
    from procurement.models import Consultation

    states = dict(Consultation.objects.values_list("reference", "state"))
    assert states == {
        "PMA-2021-01": "completed",
        "PMA-2026-02": "published",
        "PMA-2026-03": "draft",
        "PMA-2026-04": "analysis",
    }
    # At first login, « Mes actions » tells the coordinator, a référent and the evaluators who
    # have not scored yet what waits for them.
    from groupement import hooks

    def waiting(username):
        user = User.objects.get(username=username)
        return sorted(action.name for action in hooks.dashboard_sources.collect(user))

    assert waiting("pma.gestionnaire") == ["answer", "submit_for_review"]
    assert waiting("cahc.referent") == ["sign"]
    assert waiting("call.evaluateur") == waiting("cahc.evaluateur") == ["declaration"]
    assert waiting("cabbalr.evaluateur") == []  # its sheets are submitted
    operator = Consultation.objects.get(reference="PMA-2021-01")
    assert operator.lots.get().bids.count() == 4
    assert operator.opening.bids_count == 4
    from scoring.ranking import evaluate

    evaluation = evaluate(operator.lots.get())
    assert evaluation.complete and evaluation.submitted_sheets == evaluation.expected_sheets == 9
    assert [r.rank for r in evaluation.rows] == [1, 2, 3]
    # The operator contract: notified in March 2022, one signed amendment, data published.
    from contracts.contract_rules import cumulated_change

    contract = operator.lots.get().contract
    assert (contract.state, contract.notified_on.isoformat()) == ("in_execution", "2022-03-14")
    assert contract.holder == evaluation.rows[0].bid.bidder
    assert sum(s.amount for s in contract.shares.all()) == contract.amount
    [amendment] = contract.amendments.all()
    assert (amendment.state, amendment.ground) == ("signed", "small")
    assert cumulated_change(contract).amount == 18000
    assert contract.data_published_on and amendment.data_published_on
    from contracts.models import Letter

    assert Letter.objects.filter(award__lot__consultation=operator).count() == 4
    assert journal_verify() is None


def test_seed_demo_twice_changes_nothing(db):
    call_command("seed_demo")
    before = (
        db_fingerprint(),
        list(User.objects.values_list("pk", "password", "username")),
        Entry.objects.count(),
    )
    call_command("seed_demo")
    after = (
        db_fingerprint(),
        list(User.objects.values_list("pk", "password", "username")),
        Entry.objects.count(),
    )
    assert after == before


def test_the_demo_keeps_its_letters_and_mails_nobody(
    db, capsys, settings, django_capture_on_commit_callbacks
):
    # The demo's bidders are fictitious: whatever the mail settings, no letter leaves.
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("seed_demo")
    assert callbacks, "the letters' sending runs after the commit"
    out = capsys.readouterr().out
    assert "rejet de votre offre" not in out and "Content-Type" not in out
    from contracts.models import Letter

    assert Letter.objects.count() == 4


def test_the_demo_offers_every_document_ready_to_sign(db, client):
    """The completed consultation has its final report, the minutes of the CAO and letters
    signed before the named court; the one in evaluation has a provisional report."""
    import io
    import re

    from django.urls import reverse
    from pypdf import PdfReader

    from contracts.models import Letter
    from groupement.models import Role
    from procurement.models import Consultation

    def text_of(content):
        pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
        return pages, re.sub(r"\s+", " ", " ".join(pages))

    call_command("seed_demo")
    coordinator = User.objects.get(
        organisation__short_name="PMA", groups__role_group__role=Role.GESTIONNAIRE
    )
    client.force_login(coordinator)
    done = Consultation.objects.get(reference="PMA-2021-01")
    lot = done.lots.get()
    pages, report = text_of(client.get(reverse("scoring:export", args=[lot.pk, "pdf"])).content)
    assert "PROVISOIRE" not in report and "non renseignée" not in report
    assert (
        "Moyenne des trois évaluateurs" in report
        and "est celle de Cap Industrie Animation" in report
    )
    _pages, minutes = text_of(
        body_of(client.get(reverse("contracts:award_minutes", args=[done.pk])))
    )
    assert "Procès-verbal de la commission d’appel d’offres" in minutes
    assert "Quorum : 3 membres requis, 4 présents" in minutes
    assert "Vote : 3 voix pour, 0 voix contre, 1 abstention." in minutes
    rejection = Letter.objects.filter(kind="rejection").first()
    _pages, letter = text_of(rejection.file.read())
    assert "Marc Dufour" in letter and "Tribunal administratif de Lille" in letter
    current = Consultation.objects.get(reference="PMA-2026-04").lots.get()
    pages, provisional = text_of(
        client.get(reverse("scoring:export", args=[current.pk, "pdf"])).content
    )
    assert all("PROVISOIRE" in page for page in pages)
