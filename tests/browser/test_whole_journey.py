"""The whole life of a groupement de commandes, through the browser, each step by its role.

COORD's gestionnaire drafts the convention with M1 and M2 (mission A: each member signs its
own contracts); the three référents deliberate and sign; a consultation is written, its grid
defined, its documents reviewed and published; three deposits arrive; after the deadline the
bids are opened, analysed and scored by two evaluators; the tender committee decides the
award, the members approve it, the letters go out; after the standstill every member signs
the contract, which is notified, then amended; its essential data are downloaded and their
publication recorded. An outsider never sees any of it.
"""

import datetime
import json
import re
from decimal import Decimal

import pandas as pd
import pytest
from playwright.sync_api import expect

from contracts.models import Amendment, AmendmentState, Award, Contract, ContractState
from core import clock as server_clock
from groupement.identifiers import with_luhn_key
from groupement.models import Groupement, GroupementState, MembershipState, Role
from procurement.models import Bid, CandidatureState, Consultation, ConsultationState, OfferState
from scoring.models import Consolidated, Criterion, Grid, ScoreSheet
from tests.browser import journey as plan
from tests.browser.helpers import expect_no_error, local_input, pdf, text_of, today
from tests.browser.journey import Journey, check_the_decp, check_what_is_left

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_whole_journey_from_the_convention_to_the_open_data(
    world, clock, page_for, screenshot, tmp_path
):
    cao = world.user("COORD", Role.MEMBRE_CAO)
    journey = Journey(world, page_for, screenshot, tmp_path)
    login, shot, submit = journey.login, journey.shot, journey.submit
    follow, download = journey.follow, journey.download

    # --- 1. COORD's gestionnaire drafts the convention and sends it to the assemblies --------
    coord = login("COORD", Role.GESTIONNAIRE)
    shot(coord, "dashboard-coordinator")
    coord.goto("/groupements/")
    shot(coord, "groupements")
    follow(coord, "/groupements/nouveau/")
    coord.fill("input[name=name]", plan.NAME)
    coord.fill(
        "textarea[name=purpose]",
        "Passation des marchés d'animation économique pour le compte des trois membres.",
    )
    coord.fill("input[name=duration_months]", "48")
    coord.select_option("select[name=mission]", "A")
    coord.select_option("select[name=committee_kind]", "coordinator")
    coord.check(f"input[name=committee_members][value='{cao.pk}']")
    coord.select_option("select[name=committee_chair]", str(cao.pk))
    expect(coord.locator("select[name='members-0-organisation']")).to_have_value(
        str(world.orgs["COORD"].pk)
    )
    for index, key in enumerate(plan.MEMBERS):
        coord.select_option(f"select[name='members-{index}-organisation']", str(world.orgs[key].pk))
        coord.fill(f"input[name='members-{index}-share']", plan.SHARES[key])
    submit(coord, "convention-form", r"/groupements/\d+/$")
    groupement = Groupement.objects.get(name=plan.NAME)
    groupement_url = f"/groupements/{groupement.pk}/"
    assert coord.url.endswith(groupement_url)
    assert groupement.state == GroupementState.DRAFT
    submit(
        coord,
        "convention-to-submit",
        groupement_url,
        button="form[action$='/envoyer/'] button[type=submit]",
    )
    shot(coord, "convention-deliberating")
    groupement.refresh_from_db()
    assert groupement.state == GroupementState.DELIBERATING

    # --- 2. Each référent records the assembly's deliberation and signs ----------------------
    for key in plan.MEMBERS:
        referent = login(key, Role.REFERENT)
        membership = world.membership(key, groupement)
        referent.goto("/")
        shot(referent, f"dashboard-{key}-referent")
        referent.goto(groupement_url)
        follow(referent, f"/adhesions/{membership.pk}/deliberation/")
        referent.fill("input[name=number]", f"{key}-2027-017")
        referent.fill("input[name=date]", today())
        referent.set_input_files("input[name=document]", pdf(tmp_path / f"deliberation-{key}.pdf"))
        submit(referent, f"deliberation-{key}", groupement_url)
        follow(referent, f"/adhesions/{membership.pk}/signature/")
        referent.fill("input[name=signed_on]", today())
        submit(referent, f"signature-{key}", groupement_url)
    shot(referent, "convention-signed-by-all")
    assert set(groupement.memberships.values_list("state", flat=True)) == {MembershipState.SIGNED}

    coord.goto(groupement_url)
    submit(
        coord,
        "convention-to-put-in-force",
        groupement_url,
        button="form[action$='/mettre-en-vigueur/'] button[type=submit]",
    )
    shot(coord, "convention-in-force")
    groupement.refresh_from_db()
    assert groupement.state == GroupementState.IN_FORCE

    # --- 3. The consultation: terms, criteria grid, tender documents, members' review --------
    follow(coord, f"/groupements/{groupement.pk}/consultations/nouvelle/")
    now = server_clock.now()
    coord.fill("input[name=reference]", plan.REFERENCE)
    coord.fill("input[name=title]", "Animation économique du territoire")
    coord.select_option("select[name=procedure]", "open")
    coord.select_option("select[name=nature]", "services")
    coord.fill("input[name=cpv_code]", "79411100-9")
    expect(coord.locator("input[name=electronic_submission]")).to_be_checked()
    coord.fill("input[name=offer_validity_days]", "120")
    coord.fill("input[name=questions_deadline]", local_input(now + datetime.timedelta(days=33)))
    coord.fill("input[name=offers_deadline]", local_input(now + datetime.timedelta(days=40)))
    coord.fill("input[name='lots-0-estimated_value']", "600 000,00")
    submit(coord, "consultation-form", r"/consultations/\d+/$")
    consultation = Consultation.objects.get(reference=plan.REFERENCE)
    lot = consultation.lots.get()
    detail_url = f"/consultations/{consultation.pk}/"
    assert coord.url.endswith(detail_url)
    assert consultation.estimated_value == Decimal("600000")
    shot(coord, "consultation-draft")

    # The grid has its page (scoring:grid): the criteria are typed one per line.
    follow(coord, f"/lots/{lot.pk}/grille/")
    coord.select_option("select[name=price_formula]", "proportional")
    coord.fill("textarea[name=criteria]", plan.GRID)
    submit(coord, "grid-form", rf"/lots/{lot.pk}/grille/$")
    expect(coord.locator("main table tbody tr")).to_have_count(5)
    shot(coord, "grid-defined")
    criteria = {c.name: c for c in Criterion.objects.filter(grid__lot=lot)}
    assert set(plan.CRITERIA) < set(criteria)

    coord.goto(detail_url)
    for kind, title in plan.TENDER_DOCUMENTS:
        follow(coord, f"{detail_url}documents/ajouter/")
        coord.select_option("select[name=kind]", kind)
        coord.fill("input[name=title]", title)
        coord.set_input_files("input[name=upload]", pdf(tmp_path / f"{kind}.pdf"))
        submit(coord, f"document-{kind}", detail_url)
    submit(
        coord,
        "consultation-to-review",
        detail_url,
        button="form[action$='/envoyer-aux-membres/'] button[type=submit]",
    )
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.MEMBER_REVIEW

    # --- 4. Each référent approves the tender documents; the gestionnaire publishes ----------
    for key in plan.MEMBERS:
        referent = login(key, Role.REFERENT)
        referent.goto(detail_url)
        follow(referent, f"{detail_url}avis/")
        referent.check("input[name=decision][value=approve]")
        submit(referent, f"review-{key}", detail_url)
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.READY

    coord.goto(detail_url)
    submit(coord, "consultation-ready", detail_url, button="form[action$='/publier/'] button")
    shot(coord, "consultation-published")
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.PUBLISHED
    assert Grid.objects.get(lot=lot).frozen_at is not None  # announced, so frozen

    # --- 5. Three deposits arrive before the deadline; the gestionnaire registers them -------
    for name, number, price in plan.BIDDERS:
        follow(coord, f"{detail_url}plis/enregistrer/")
        coord.fill("input[name=name]", name)
        coord.fill("input[name=siret]", with_luhn_key(f"{800000000 + number:09d}0001"))
        coord.fill("input[name=country]", "FR")
        coord.fill("input[name=email]", f"offres@{name.split()[0].lower()}.invalid")
        coord.select_option("select[name=grouping]", "single")
        coord.fill("input[name=receipt_number]", f"AR-2027-000{number}")
        coord.fill("input[name=price]", price)
        coord.set_input_files("input[name=documents]", pdf(tmp_path / f"offre-{number}.pdf"))
        submit(coord, f"deposit-{number}", detail_url)
    shot(coord, "deposits-sealed")
    bids = {b.bidder.name: b for b in Bid.objects.filter(lot=lot).select_related("bidder")}
    assert len(bids) == 3

    # --- 6. After the deadline: opening, analysis, evaluation, consolidation, ranking --------
    clock.move(days=41)
    journey.pages.clear()  # the sessions of two weeks have expired: everybody logs in again
    coord = login("COORD", Role.GESTIONNAIRE)
    coord.goto(detail_url)
    shot(coord, "consultation-closed")
    follow(coord, f"{detail_url}ouverture/")
    submit(coord, "opening", rf"{detail_url}ouverture/$")
    shot(coord, "opened")
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.OPENED

    coord.goto(detail_url)
    follow(coord, f"{detail_url}analyse/")
    submit(
        coord,
        "analysis-opened",
        rf"{detail_url}analyse/$",
        button="form[action$='/etape/analyse/'] button",
    )
    shot(coord, "analysis-started")
    for bid in bids.values():
        for decision, reason in [
            ("admit", "Candidature complète : DC1, DC2, attestations."),
            ("mark_regular", "Offre conforme au règlement de la consultation."),
        ]:
            form = coord.locator(f"form[action$='/plis/{bid.pk}/decision/']")
            form.locator("select[name$='-decision']").select_option(decision)
            form.locator("textarea[name$='-reason']").fill(reason)
            with coord.expect_navigation():
                form.locator("button[type=submit]").click()
            expect_no_error(coord)
    shot(coord, "analysis-decided")
    assert set(Bid.objects.filter(lot=lot).values_list("candidature", "offer")) == {
        (CandidatureState.ADMITTED, OfferState.REGULAR)
    }

    coord.goto(detail_url)
    follow(coord, f"/lots/{lot.pk}/comite/")
    for key in ("M1", "M2"):
        coord.select_option("select[name=evaluator]", str(world.user(key, Role.EVALUATEUR).pk))
        submit(coord, f"panel-name-{key}", rf"/lots/{lot.pk}/comite/$")
    shot(coord, "panel-named")

    for key in ("M1", "M2"):
        evaluator = login(key, Role.EVALUATEUR)
        evaluator.goto("/evaluation/")
        shot(evaluator, f"workspace-{key}")
        follow(evaluator, f"/lots/{lot.pk}/declaration/")
        for name in bids:
            expect(evaluator.locator("main")).to_contain_text(name)
        evaluator.check("input[name=confirm]")
        submit(evaluator, f"declaration-{key}", r"/evaluation/$")
        for name, marks in plan.MARKS.items():
            follow(evaluator, f"/lots/{lot.pk}/plis/{bids[name].pk}/notation/")
            for criterion_name, mark in zip(plan.CRITERIA, marks, strict=True):
                pk = criteria[criterion_name].pk
                evaluator.fill(f"input[name=score_{pk}]", str(mark))
                evaluator.fill(
                    f"textarea[name=justification_{pk}]",
                    f"{criterion_name} : {mark}/10 au vu du mémoire technique de {name}.",
                )
            submit(
                evaluator,
                f"sheet-{key}-{bids[name].pk}",
                rf"/evaluation/\?fiches{lot.pk}=1#fiches{lot.pk}$",
                button="button[name=action][value=submit]",
            )
        expect(evaluator.locator("main")).to_contain_text("3 fiches remises sur 3")
        shot(evaluator, f"workspace-{key}-done")
    assert ScoreSheet.objects.filter(bid__lot=lot, state="submitted").count() == 6

    consolidation_url = f"/lots/{lot.pk}/consolidation/"
    coord.goto(f"/lots/{lot.pk}/comite/")
    shot(coord, "panel-sheets-submitted")
    follow(coord, consolidation_url)
    shot(coord, "consolidation")
    for name in plan.MARKS:
        offer_url = f"{consolidation_url}?offre={bids[name].pk}"
        follow(coord, f"?offre={bids[name].pk}")
        forms = coord.locator("form[action*='/consolidation/']")
        expect(forms).to_have_count(3)
        for index in range(3):
            form = coord.locator("form[action*='/consolidation/']").nth(index)
            criterion_pk = int(re.search(r"/(\d+)/$", form.get_attribute("action")).group(1))
            criterion = Criterion.objects.get(pk=criterion_pk).name
            mark = plan.MARKS[name][plan.CRITERIA.index(criterion)]
            expect(form.locator("input[name$='-value']")).to_have_value(f"{mark},00")
            with coord.expect_navigation(url=f"**{offer_url}"):
                form.locator("button[type=submit]").click()
            expect_no_error(coord)
        shot(coord, f"consolidated-{bids[name].pk}")
        follow(coord, consolidation_url)
    shot(coord, "consolidated")
    assert Consolidated.objects.filter(bid__lot=lot).count() == 9

    coord.goto(f"/lots/{lot.pk}/classement/")
    shot(coord, "ranking")
    rows = coord.locator("main table").first.locator("tbody tr")
    expect(rows).to_have_count(3)
    for index, (name, _total) in enumerate(plan.RANKING):
        expect(rows.nth(index)).to_contain_text(name)
    expect(coord.locator("main")).not_to_contain_text("provisoire")
    xlsx = download(
        coord, "main a[href$='export.xlsx']", f"grille-{plan.REFERENCE}-lot{lot.number}.xlsx"
    )
    synthesis = pd.read_excel(xlsx, sheet_name="Synthèse")
    assert list(synthesis["Soumissionnaire"]) == [name for name, _ in plan.RANKING]
    assert [round(v, 2) for v in synthesis["Total (/100)"]] == [total for _, total in plan.RANKING]

    # --- 7. Award: proposal, certificates, committee decision, approvals, letters ------------
    award_url = f"{detail_url}attribution/"
    coord.goto(detail_url)
    follow(coord, award_url)
    shot(coord, "award-analysis")
    follow(coord, f"/lots/{lot.pk}/attribution/")
    expect(coord.locator("select[name=bid]")).to_have_value(str(bids["Alpha Conseil"].pk))
    submit(coord, "award-propose", rf"{award_url}$")
    award = Award.objects.get(lot=lot)
    assert award.bid == bids["Alpha Conseil"]
    issued_on = (server_clock.today() - datetime.timedelta(days=10)).isoformat()
    for kind, reference in [
        ("tax", "DGFiP 2027-4411"),
        ("social", "URSSAF Nord-Pas-de-Calais"),
        ("urssaf", "Vigilance 2027-0098"),
    ]:
        follow(coord, f"/attributions/{award.pk}/attestations/")
        coord.select_option("select[name=kind]", kind)
        coord.fill("input[name=issued_on]", issued_on)
        coord.fill("input[name=reference]", reference)
        submit(coord, f"certificate-{kind}", rf"{award_url}$")
    expect(coord.locator("main .blockers")).to_have_count(0)
    submit(
        coord,
        "award-to-submit",
        rf"{award_url}$",
        button="form[action$='/attribution/proposer/'] button",
    )
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.AWARD_PROPOSED

    # At 600 000 € HT, above the European threshold, COORD's tender committee decides.
    committee = login("COORD", Role.MEMBRE_CAO)
    committee.goto("/")
    shot(committee, "dashboard-cao")
    committee.goto(award_url)
    shot(committee, "award-for-the-committee")
    follow(committee, f"{award_url}decision/")
    expect(committee.locator("input[name=decided_on]")).to_have_value(today())
    committee.check(f"input[name=present][value='{cao.pk}']")
    committee.fill("input[name=votes_for]", "1")
    committee.fill("input[name=votes_against]", "0")
    committee.fill("input[name=abstentions]", "0")
    committee.fill("textarea[name=minutes]", "La CAO retient l'offre d'Alpha Conseil, classée 1re.")
    submit(committee, "award-decision", rf"{award_url}$")
    shot(committee, "award-decided")

    for key in plan.MEMBERS:
        referent = login(key, Role.REFERENT)
        referent.goto(award_url)
        follow(referent, f"{award_url}avis/")
        referent.check("input[name=decision][value=approve]")
        submit(referent, f"award-approval-{key}", rf"{award_url}$")
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.AWARDED

    coord.goto(award_url)
    shot(coord, "awarded")
    follow(coord, f"{detail_url}courriers/")
    expect(coord.locator("input[name=electronic]")).to_be_checked()
    submit(coord, "letters", rf"{award_url}$")
    shot(coord, "letters-sent")
    # Sent by e-mail today: 11 clear days, the contract may be signed on the 12th day.
    assert "Encore 12 jours" in text_of(coord, "main")
    assert "R2182-1" in text_of(coord, "main")
    contract = Contract.objects.get(lot=lot)
    contract_url = f"/contrats/{contract.pk}/"
    assert contract.state == ContractState.TO_SIGN
    assert contract.amount == plan.WINNER_PRICE

    # The gestionnaire settles the terms of the contract while nobody has signed it yet.
    follow(coord, contract_url)
    shot(coord, "contract-to-sign")
    follow(coord, f"{contract_url}conditions/")
    coord.fill("input[name=duration_months]", "36")
    coord.select_option("select[name=ccag]", "Prestations intellectuelles")
    submit(coord, "contract-terms", rf"{contract_url}$")

    # A référent who tries to sign during the standstill is refused, with the rule.
    m1 = login("M1", Role.REFERENT)
    m1.goto("/")
    expect(m1.locator("main")).not_to_contain_text("Signer le marché")
    m1.goto(contract_url)
    shot(m1, "contract-standstill-m1")
    expect(m1.locator("main")).to_contain_text("Encore 12 jours")
    follow(m1, f"{contract_url}signer/")
    m1.fill("input[name=on]", today())
    shot(m1, "contract-sign-too-early")
    with m1.expect_navigation():
        m1.click(plan.SUBMIT)
    refusal = m1.locator("main .message.error")
    expect(refusal).to_contain_text("R2182-1")
    shot(m1, "contract-sign-refused")
    assert not contract.signatures.exists()

    # --- 8. After the standstill each member signs; the gestionnaire notifies ----------------
    clock.move(days=12)
    for key in plan.MEMBERS:
        referent = login(key, Role.REFERENT)
        referent.goto("/")
        expect(referent.locator("main")).to_contain_text("Signer le marché")
        shot(referent, f"dashboard-{key}-contract-to-sign")
        referent.goto(contract_url)
        follow(referent, f"{contract_url}signer/")
        referent.fill("input[name=on]", today())
        submit(referent, f"contract-signature-{key}", rf"{contract_url}$")
    shot(referent, "contract-signed")
    contract.refresh_from_db()
    assert contract.state == ContractState.SIGNED

    coord.goto(contract_url)
    follow(coord, f"{contract_url}notifier/")
    coord.fill("input[name=on]", today())
    submit(coord, "contract-notification", rf"{contract_url}$")
    shot(coord, "contract-notified")
    contract.refresh_from_db()
    assert contract.state == ContractState.NOTIFIED
    coord.goto(detail_url)
    shot(coord, "consultation-completed")
    expect(coord.locator("main h1 + p .state")).to_have_text("Terminée")
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.COMPLETED

    # --- 9. An amendment: proposed, approved and signed by every member, notified ------------
    coord.goto(contract_url)
    follow(coord, f"{contract_url}avenants/nouveau/")
    coord.select_option("select[name=ground]", "small")
    coord.fill(
        "textarea[name=description]",
        "Deux ateliers supplémentaires d'animation pour les entreprises du bassin minier.",
    )
    coord.fill("input[name=amount_change]", "10 000,00")
    submit(coord, "amendment-proposal", rf"{contract_url}$")
    amendment = Amendment.objects.get(contract=contract)
    assert amendment.amount_change == plan.AMENDMENT

    for key in plan.MEMBERS:
        referent = login(key, Role.REFERENT)
        referent.goto(contract_url)
        follow(referent, f"/avenants/{amendment.pk}/avis/")
        referent.check("input[name=decision][value=approve]")
        submit(referent, f"amendment-approval-{key}", rf"{contract_url}$")
    amendment.refresh_from_db()
    assert amendment.state == AmendmentState.APPROVED

    for key in plan.MEMBERS:
        referent = login(key, Role.REFERENT)
        referent.goto(contract_url)
        follow(referent, f"/avenants/{amendment.pk}/signer/")
        referent.fill("input[name=on]", today())
        submit(referent, f"amendment-signature-{key}", rf"{contract_url}$")
    amendment.refresh_from_db()
    assert amendment.state == AmendmentState.SIGNED

    coord.goto(contract_url)
    follow(coord, f"/avenants/{amendment.pk}/notifier/")
    coord.fill("input[name=on]", today())
    submit(coord, "amendment-notification", rf"{contract_url}$")
    shot(coord, "contract-amended")
    # 10 000 € HT on 500 000 € HT: 2 % cumulated, 510 000 € HT now.
    assert "510 000,00 € HT" in text_of(coord, "main")
    assert "10 000,00 € HT (2,00 %)" in text_of(coord, "main")

    # --- 10. Open data: DECP and OCDS downloads, publication recorded ------------------------
    coord.goto("/")
    shot(coord, "dashboard-data-due")
    expect(coord.locator("main")).to_contain_text("Publier avant le")
    coord.goto(groupement_url)
    follow(coord, f"/groupements/{groupement.pk}/donnees-ouvertes/")
    shot(coord, "opendata")
    decp_path = download(
        coord, "main a[href$='/decp.json']", f"decp-groupement-{groupement.pk}.json"
    )
    check_the_decp(decp_path, world, contract, bids["Alpha Conseil"].bidder)

    ocds_path = download(
        coord,
        f"main a[href$='/consultations/{consultation.pk}/ocds.json']",
        f"ocds-{plan.REFERENCE}.json",
    )
    ocds = json.loads(ocds_path.read_text(encoding="utf-8"))
    assert ocds["publisher"]["uid"] == world.orgs["COORD"].siret
    release = ocds["releases"][0]
    assert release["tender"]["status"] == "complete"
    assert release["awards"][0]["value"]["amount"] == float(plan.WINNER_PRICE)
    assert release["contracts"][0]["value"]["amount"] == float(plan.WINNER_PRICE + plan.AMENDMENT)

    follow(coord, f"/groupements/{groupement.pk}/donnees-ouvertes/publication/")
    coord.fill("input[name=on]", today())
    submit(coord, "publication", rf"/groupements/{groupement.pk}/donnees-ouvertes/$")
    shot(coord, "opendata-published")
    coord.goto("/")
    shot(coord, "dashboard-after-publication")
    expect(coord.locator("main")).not_to_contain_text("Publier avant le")

    check_what_is_left(journey, groupement, consultation, contract, amendment)
