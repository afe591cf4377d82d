"""The award: proposal per lot, certificates, decision, members' approval and letters."""

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation

from contracts import award_rules
from contracts.access import may_record_decision
from contracts.letters import (
    LetterContent,
    criterion_lines,
    rejection_reasons,
    render_email,
    render_pdf,
)
from contracts.minutes import render_minutes
from contracts.models import (
    Award,
    AwardApproval,
    AwardDecision,
    Certificate,
    DecidingBody,
    Letter,
    LetterKind,
)
from contracts.services.contracts import contract_open
from contracts.tasks import send_letter
from core import clock
from core.tasks import enqueue_on_commit
from core.uploads import files_removed_on_failure, sha256_of
from core.workflow import locked, refuse_if, run_transition
from journal.services import in_french, journal_record
from procurement.access import can_manage, member_membership
from procurement.hooks import blockers
from procurement.models import Consultation, Lot, LotOutcome, ReviewDecision
from procurement.services.consultations import locked_consultation
from scoring.ranking import evaluate, lot_ranking, ranked_bids


def award_propose(*, lot, user, bid, reason: str = "") -> Award:
    """The coordinator proposes a lot's winner from the ranking; anyone but the first needs
    a written reason."""
    if not can_manage(user, lot.consultation):
        raise PermissionDenied
    reason = reason.strip()
    with transaction.atomic():
        consultation = locked_consultation(lot.consultation_id)
        refuse_if(award_rules.proposal_state_errors(consultation))
        lot = locked(Lot, lot.pk)
        complete, ranking = lot_ranking(lot)
        refuse_if(
            award_rules.award_proposal_errors(lot, bid, reason, complete=complete, ranking=ranking)
        )
        chosen = award_rules.ranked_row(ranking, bid)
        previous = Award.objects.filter(lot=lot).values_list("bid_id", flat=True).first()
        award, _created = Award.objects.update_or_create(
            lot=lot,
            defaults={
                "bid": chosen.bid,
                "rank": chosen.rank,
                "total": chosen.total,
                "reason": reason,
                "proposed_by": user,
                "proposed_at": clock.now(),
            },
        )
        if previous is not None and previous != chosen.bid.pk:
            # Certificates belong to the winner they were checked for.
            award.certificates.all().delete()
        journal_record(
            actor=user,
            obj=consultation,
            action=f"proposition d'attribution du lot {lot.number}",
            from_state=consultation.state,
            to_state=consultation.state,
            reason=f"{chosen.bid.bidder} (rang {chosen.rank}, {chosen.total}/100)"
            + (f" : {reason}" if reason else ""),
        )
    return award


def award_proposal_redo(lot, user, what: str) -> None:
    """Called (procurement.hooks.evaluation_changed) when a value that fed the lot's ranking is
    corrected during the analysis: the lot's proposed winner, chosen from the earlier ranking,
    is withdrawn, with its certificates, to be proposed again."""
    award = Award.objects.filter(lot=lot).select_related("bid__bidder").first()
    if award is None:
        return
    award.delete()
    journal_record(
        actor=user,
        obj=lot.consultation,
        action=f"proposition d'attribution du lot {lot.number} à refaire",
        from_state=lot.consultation.state,
        to_state=lot.consultation.state,
        reason=f"{award.bid.bidder} n'est plus proposé : {what}",
    )


def lot_close_without_award(*, lot, user, outcome: str, reason: str) -> Lot:
    """A lot ends unsuccessful (no acceptable offer) or sans suite while others go on."""
    if not can_manage(user, lot.consultation):
        raise PermissionDenied
    refuse_if(award_rules.lot_outcome_errors(lot, outcome, reason))
    with transaction.atomic():
        consultation = locked_consultation(lot.consultation_id)
        refuse_if(award_rules.proposal_state_errors(consultation))
        lot = locked(Lot, lot.pk)
        Award.objects.filter(lot=lot).delete()
        lot.outcome = outcome
        lot.outcome_reason = reason.strip()
        lot.save(update_fields=["outcome", "outcome_reason"])
        journal_record(
            actor=user,
            obj=consultation,
            action=f"lot {lot.number} : {in_french(LotOutcome(outcome).label)}",
            from_state=consultation.state,
            to_state=consultation.state,
            reason=reason.strip(),
        )
    return lot


def consultation_propose_award(*, consultation, user) -> Consultation:
    with transaction.atomic():
        consultation = locked_consultation(consultation.pk)
        return run_transition(
            consultation,
            "propose_award",
            user,
            action="proposition d'attribution",
            blockers=lambda: blockers("propose_award", consultation),
        )


def certificate_record(*, award, user, kind: str, issued_on, reference: str = "") -> Certificate:
    consultation = award.lot.consultation
    if not can_manage(user, consultation):
        raise PermissionDenied
    refuse_if(award_rules.certificate_issue_errors(kind, issued_on))
    with transaction.atomic():
        consultation = locked_consultation(consultation.pk)
        refuse_if(award_rules.certificate_window_errors(consultation))
        award = Award.objects.select_related("lot", "bid__bidder").get(pk=award.pk)
        certificate, _created = Certificate.objects.update_or_create(
            award=award,
            kind=kind,
            defaults={
                "issued_on": issued_on,
                "reference": reference.strip(),
                "checked_by": user,
                "checked_at": clock.now(),
            },
        )
        journal_record(
            actor=user,
            obj=consultation,
            action=f"attestation vérifiée, lot {award.lot.number}",
            from_state=consultation.state,
            to_state=consultation.state,
            reason=f"{award.bid.bidder} — {in_french(certificate.get_kind_display())} "
            f"du {issued_on:%d/%m/%Y}",
        )
    return certificate


def award_decide(
    *, consultation, user, decided_on, present=(), votes=None, minutes: str = ""
) -> AwardDecision:
    """The committee (at or above the European threshold), by a majority of its members
    present (`votes`, an award_rules.Votes), or the coordinator decides the award, once the
    winners' certificates are checked."""
    if not user.is_authenticated or not may_record_decision(user, consultation):
        raise PermissionDenied
    body = award_rules.deciding_body(consultation)
    committee = body == DecidingBody.COMMITTEE
    present = list(present) if committee else []
    votes = votes if committee else None
    with files_removed_on_failure(), transaction.atomic():
        consultation = locked_consultation(consultation.pk)
        refuse_if(
            award_rules.award_decision_errors(
                consultation, body=body, decided_on=decided_on, present=present, votes=votes
            )
        )
        decision = AwardDecision.objects.create(
            consultation=consultation,
            award_round=consultation.award_round,
            body=body,
            decided_on=decided_on,
            quorum=consultation.groupement.quorum if committee else None,
            votes_for=votes.cast_for if votes else None,
            votes_against=votes.against if votes else None,
            abstentions=votes.abstentions if votes else None,
            casting_vote=bool(votes and votes.casting),
            minutes=minutes.strip(),
            recorded_by=user,
            recorded_at=clock.now(),
        )
        decision.present.set(present)
        # A French official document, whatever the language of the recorder's screen.
        with translation.override("fr"):
            record = ContentFile(render_minutes(consultation, decision), name="pv.pdf")
        decision.record = record
        decision.record_sha256 = sha256_of(record)
        decision.save(update_fields=["record", "record_sha256"])
        journal_record(
            actor=user,
            obj=consultation,
            action=f"décision d'attribution : {in_french(decision.get_body_display())}",
            from_state=consultation.state,
            to_state=consultation.state,
            reason=f"{decided_on:%d/%m/%Y}"
            + (f", {len(present)} membres présents" if present else "")
            + (
                f", {votes.cast_for} pour, {votes.against} contre, {votes.abstentions} "
                + ("abstentions" if votes.abstentions > 1 else "abstention")
                + (", voix prépondérante du président" if votes.casting else "")
                if votes
                else ""
            )
            + (f" — {minutes.strip()}" if minutes.strip() else "")
            + f" — procès-verbal SHA-256 {decision.record_sha256}",
        )
    return decision


def award_approve(*, consultation, user, approve: bool, comment: str = "") -> Consultation:
    """A member's référent approves the decided award, or sends it back for a new round."""
    comment = comment.strip()
    with transaction.atomic():
        consultation = locked_consultation(consultation.pk)
        membership = member_membership(user, consultation)
        if membership is None:
            raise PermissionDenied
        refuse_if(
            award_rules.award_answer_errors(
                consultation, membership.organisation, approve=approve, comment=comment
            )
        )
        AwardApproval.objects.create(
            consultation=consultation,
            organisation=membership.organisation,
            award_round=consultation.award_round,
            decision=ReviewDecision.APPROVED if approve else ReviewDecision.CHANGES_REQUESTED,
            comment=comment,
            decided_by=user,
            decided_at=clock.now(),
        )
        journal_record(
            actor=user,
            obj=consultation,
            action=f"attribution {membership.organisation.short_name} : "
            + ("approuvée" if approve else "renvoyée"),
            from_state=consultation.state,
            to_state=consultation.state,
            reason=comment,
        )
        if not approve:
            run_transition(
                consultation,
                "reconsider_award",
                user,
                action="attribution réexaminée",
                reason=comment,
            )
        elif not award_rules.missing_award_approvals(consultation):
            run_transition(
                consultation,
                "award",
                user,
                action="attribution approuvée par tous",
                blockers=lambda: blockers("award", consultation),
            )
    return consultation


def award_reconsider(*, consultation, user, reason: str) -> Consultation:
    """The coordinator takes a proposed award back to the analysis."""
    refuse_if(award_rules.reconsideration_reason_errors(reason))
    if not can_manage(user, consultation):
        raise PermissionDenied
    with transaction.atomic():
        consultation = locked_consultation(consultation.pk)
        return run_transition(
            consultation,
            "reconsider_award",
            user,
            action="attribution réexaminée",
            reason=reason.strip(),
        )


def _letter_contents(consultation, award, *, sent_at, earliest) -> list[LetterContent]:
    # One evaluation for the ranking and the scores of every letter.
    evaluation = evaluate(award.lot)
    ranking = ranked_bids(evaluation)
    by_bid = {row.bid.pk: row for row in ranking}
    winner = by_bid[award.bid_id]
    ranked = sum(1 for row in ranking if row.rank is not None)
    contents = []
    for bid in award_rules.competing_bids(award.lot):
        own = by_bid.get(bid.pk)
        is_winner = bid.pk == award.bid_id
        contents.append(
            LetterContent(
                kind=LetterKind.AWARD if is_winner else LetterKind.REJECTION,
                consultation=consultation,
                lot=award.lot,
                bid=bid,
                winner=winner,
                own=own,
                reasons=[] if is_winner else rejection_reasons(bid, own, ranked),
                competitors=ranked,
                earliest_signature=earliest,
                sent_on=clock.day_of(sent_at),
                criteria=criterion_lines(evaluation, award.bid, bid),
            )
        )
    return contents


def letters_send(*, consultation, user, electronic: bool = True) -> list[Letter]:
    """Every bidder of every awarded lot gets its letter; the sending starts the standstill
    (art. R2182-1 CCP) and opens the contract for signature."""
    if not can_manage(user, consultation):
        raise PermissionDenied
    now = clock.now()
    letters = []
    with files_removed_on_failure(), transaction.atomic():
        consultation = locked_consultation(consultation.pk)
        awards = award_rules.awards_of(consultation)
        refuse_if(award_rules.letters_errors(consultation, awards, electronic=electronic))
        for award in awards:
            required = award_rules.standstill_required(award.lot)
            award.letters_sent_at = now
            award.letters_electronic = electronic
            award.standstill_ends_at = (
                award_rules.standstill_end(now, electronic=electronic) if required else None
            )
            award.save(
                update_fields=["letters_sent_at", "letters_electronic", "standstill_ends_at"]
            )
            earliest = award_rules.earliest_signature_day(award) if required else None
            for content in _letter_contents(consultation, award, sent_at=now, earliest=earliest):
                # Letters to bidders are French, whatever language the sender's screen uses.
                with translation.override("fr"):
                    pdf = ContentFile(render_pdf(content), name="courrier.pdf")
                letter = Letter.objects.create(
                    award=award,
                    bid=content.bid,
                    kind=content.kind,
                    file=pdf,
                    sha256=sha256_of(pdf),
                    sent_at=now,
                    electronic=electronic,
                    email=content.bid.bidder.email if electronic else "",
                )
                letters.append(letter)
                if electronic:
                    _mail_on_commit(content, letter)
            contract_open(award=award, user=user)
            journal_record(
                actor=user,
                obj=consultation,
                action=f"courriers envoyés, lot {award.lot.number}",
                from_state=consultation.state,
                to_state=consultation.state,
                reason=(
                    f"{len(award_rules.competing_bids(award.lot))} courriers, "
                    + ("par voie électronique" if electronic else "par courrier")
                    + (
                        f" ; signature possible à partir du {earliest:%d/%m/%Y}"
                        if earliest
                        else " ; pas de délai de suspension"
                    )
                ),
            )
    return letters


def _mail_on_commit(content: LetterContent, letter: Letter) -> None:
    """The e-mail is written now, in French like the letter, and sent by the task queue once
    the sending is committed; a mail server that fails delays it (contracts.tasks)."""
    with translation.override("fr"):
        subject, body = str(content.subject), render_email(content)
    enqueue_on_commit(
        send_letter,
        letter_id=letter.pk,
        subject=subject,
        body=body,
        attachment_name=f"courrier-lot-{content.lot.number}.pdf",
    )
