"""Every business action on groupements and memberships.

Each function checks the permission, runs the transition and saves inside one transaction, and
writes the journal. Views, commands, the admin and tests go through here for any change of state.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from core.formats import format_percent
from core.permissions import forget_cached_perms
from core.uploads import files_removed_on_failure, sha256_of
from core.workflow import locked, refuse_if, run_transition
from groupement import rules
from groupement.access import has_role, is_coordinator_manager, sync_groupement_permissions
from groupement.models import Groupement, Membership, MembershipState, Role
from journal.services import journal_record


@dataclass
class ConventionTerms:
    name: str
    purpose: str
    duration_months: int
    mission: str
    committee_kind: str
    withdrawal_allowed: bool
    members: list  # (organisation, share) pairs
    committee_members: list
    committee_chair: object
    committee_quorum: int | None = None
    signatory_name: str = ""
    signatory_title: str = ""
    tribunal: str = ""


def _check_terms(coordinator, terms: ConventionTerms, *, groupement=None):
    namesakes = Groupement.objects.filter(name=terms.name)
    if groupement is not None:
        namesakes = namesakes.exclude(pk=groupement.pk)
    refuse_if(
        rules.convention_terms_errors(terms, coordinator=coordinator, name_taken=namesakes.exists())
    )


def groupement_create(*, user, terms: ConventionTerms) -> Groupement:
    """A gestionnaire drafts a groupement coordinated by their own organisation."""
    if not has_role(user, Role.GESTIONNAIRE):
        raise PermissionDenied
    coordinator = user.organisation
    _check_terms(coordinator, terms)
    with transaction.atomic():
        groupement = Groupement.objects.create(
            name=terms.name,
            purpose=terms.purpose,
            duration_months=terms.duration_months,
            coordinator=coordinator,
            mission=terms.mission,
            committee_kind=terms.committee_kind,
            withdrawal_allowed=terms.withdrawal_allowed,
            committee_chair=terms.committee_chair,
            committee_quorum=terms.committee_quorum,
            signatory_name=terms.signatory_name,
            signatory_title=terms.signatory_title,
            tribunal=terms.tribunal,
        )
        groupement.committee_members.set(terms.committee_members)
        for organisation, share in terms.members:
            Membership.objects.create(groupement=groupement, organisation=organisation, share=share)
        sync_groupement_permissions(groupement)
        journal_record(actor=user, obj=groupement, action="création", to_state=groupement.state)
    return groupement


def groupement_update(*, groupement: Groupement, user, terms: ConventionTerms) -> Groupement:
    """The coordinator edits the convention while it is a draft."""
    forget_cached_perms(user)
    if not is_coordinator_manager(user, groupement):
        raise PermissionDenied
    with transaction.atomic():
        groupement = locked(Groupement, groupement.pk)
        refuse_if(rules.convention_edit_errors(groupement))
        _check_terms(groupement.coordinator, terms, groupement=groupement)
        for field in (
            "name",
            "purpose",
            "duration_months",
            "mission",
            "committee_kind",
            "withdrawal_allowed",
            "committee_chair",
            "committee_quorum",
            "signatory_name",
            "signatory_title",
            "tribunal",
        ):
            setattr(groupement, field, getattr(terms, field))
        groupement.save()
        groupement.committee_members.set(terms.committee_members)
        wanted = {org.pk: share for org, share in terms.members}
        groupement.memberships.exclude(organisation_id__in=wanted).delete()
        for org, share in terms.members:
            Membership.objects.update_or_create(
                groupement=groupement, organisation=org, defaults={"share": share}
            )
        sync_groupement_permissions(groupement)
        journal_record(
            actor=user,
            obj=groupement,
            action="modification de la convention",
            from_state=groupement.state,
            to_state=groupement.state,
            reason="; ".join(f"{org.short_name} {format_percent(s)}" for org, s in terms.members),
        )
    return groupement


def _groupement_transition(*, groupement, user, method_name, action, reason="", blockers=None):
    """`blockers(groupement)`: why the transition's conditions refuse, for the locked copy."""
    with transaction.atomic():
        groupement = locked(Groupement, groupement.pk)
        return run_transition(
            groupement,
            method_name,
            user,
            action=action,
            reason=reason,
            blockers=(lambda: blockers(groupement)) if blockers else None,
        )


def groupement_submit(*, groupement: Groupement, user) -> Groupement:
    return _groupement_transition(
        groupement=groupement,
        user=user,
        method_name="submit_to_members",
        action="envoi aux assemblées des membres",
        blockers=Groupement.submit_blockers,
    )


def groupement_put_in_force(*, groupement: Groupement, user) -> Groupement:
    return _groupement_transition(
        groupement=groupement,
        user=user,
        method_name="put_in_force",
        action="entrée en vigueur",
        blockers=Groupement.in_force_blockers,
    )


def groupement_dissolve(*, groupement: Groupement, user, reason: str) -> Groupement:
    refuse_if(rules.dissolution_errors(reason))
    return _groupement_transition(
        groupement=groupement,
        user=user,
        method_name="dissolve",
        action="dissolution",
        reason=reason.strip(),
    )


def _membership_transition(*, membership, user, method_name, action, blockers, reason="", **kw):
    """`blockers(membership)`: why the transition's conditions refuse, for the locked copy."""
    with files_removed_on_failure(), transaction.atomic():
        membership = locked(
            Membership.objects.select_related("groupement", "organisation"), membership.pk
        )
        run_transition(
            membership,
            method_name,
            user,
            action=action,
            reason=reason,
            blockers=lambda: blockers(membership),
            **kw,
        )
        if membership.state == MembershipState.WITHDRAWN:
            sync_groupement_permissions(membership.groupement)
    return membership


def membership_record_deliberation(
    *, membership: Membership, user, number: str, date, document
) -> Membership:
    """A member's référent records the assembly's decision approving the convention."""
    return _membership_transition(
        membership=membership,
        user=user,
        method_name="record_deliberation",
        action="délibération",
        blockers=rules.deliberation_errors,
        reason=f"décision n° {number} du {date:%d/%m/%Y}",
        number=number,
        date=date,
        document=document,
        document_name=document.name[:255],
        sha256=sha256_of(document),
    )


def membership_sign(*, membership: Membership, user, signed_on) -> Membership:
    return _membership_transition(
        membership=membership,
        user=user,
        method_name="sign",
        action="signature",
        blockers=rules.deliberation_errors,
        reason=f"signée le {signed_on:%d/%m/%Y}",
        signed_on=signed_on,
    )


def membership_withdraw(*, membership: Membership, user, reason: str) -> Membership:
    refuse_if(rules.withdrawal_reason_errors(reason))
    return _membership_transition(
        membership=membership,
        user=user,
        method_name="withdraw",
        action="retrait",
        reason=reason.strip(),
        blockers=lambda m: rules.deliberation_errors(m) or rules.withdrawal_errors(m),
        explanation=reason.strip(),
    )
