"""The legal rules of a groupement de commandes, as plain functions returning French messages.

Each message names the rule it applies so that a refusal tells the user what to fix and why.
"""

from collections import Counter
from decimal import Decimal

from django.utils.translation import gettext as _

from core.formats import format_percent
from groupement.choices import CommitteeKind, GroupementState

HUNDRED = Decimal("100")


def shares_total(memberships) -> Decimal:
    return sum((m.share for m in memberships), Decimal(0))


def convention_errors(*, coordinator, members) -> list[str]:
    """members: (organisation, share) pairs, withdrawn members left out."""
    errors = []
    organisations = [org for org, _share in members]
    if len(organisations) < 2:
        errors.append(
            _("A groupement de commandes brings together at least two buyers (art. L2113-6 CCP).")
        )
    for org, count in Counter(organisations).items():
        if count > 1:
            errors.append(
                _("%(org)s appears more than once: an organisation is a member only once.")
                % {"org": org}
            )
    if coordinator is not None and coordinator not in organisations:
        errors.append(
            _(
                "The coordinator %(org)s must itself be a member of the groupement "
                "(art. L2113-7 CCP)."
            )
            % {"org": coordinator}
        )
    shares = [share for _org, share in members]
    if any(share is None or share <= 0 for share in shares):
        errors.append(_("Every member's cost share must be greater than 0 %."))
    elif sum(shares, Decimal(0)) != HUNDRED:
        errors.append(
            _(
                "The cost-sharing key must add up to exactly 100 %% over the members "
                "(convention constitutive); it adds up to %(total)s."
            )
            % {"total": format_percent(sum(shares, Decimal(0)))}
        )
    return errors


def convention_terms_errors(terms, *, coordinator, name_taken: bool) -> list[str]:
    """The terms of a convention being drafted or edited. `terms` has the convention's name,
    members ((organisation, share) pairs), committee members and quorum; `name_taken`: another
    groupement already bears the name."""
    errors = []
    if name_taken:
        errors.append(_("A groupement named “%(name)s” already exists.") % {"name": terms.name})
    errors += convention_errors(coordinator=coordinator, members=terms.members)
    if terms.committee_quorum and terms.committee_quorum > len(terms.committee_members):
        errors.append(
            _("The committee's quorum (%(quorum)s) cannot exceed its %(count)s members.")
            % {"quorum": terms.committee_quorum, "count": len(terms.committee_members)}
        )
    return errors


def convention_edit_errors(groupement) -> list[str]:
    if groupement.state != GroupementState.DRAFT:
        return [
            _(
                "The convention can be edited only as a draft: once sent to the members' "
                "assemblies, its terms are those they deliberate on."
            )
        ]
    return []


def dissolution_errors(reason: str) -> list[str]:
    if not reason.strip():
        return [_("Say why the groupement is dissolved.")]
    return []


def committee_errors(
    *, kind, coordinator, member_organisations, committee, chair, qualified
) -> list[str]:
    """qualified: those of the committee who hold the role of tender committee member."""
    errors = []
    if not committee:
        return [_("The convention must name the members of the deciding tender committee.")]
    for person in committee:
        if person not in qualified:
            errors.append(
                _("%(person)s does not hold the role of tender committee member.")
                % {"person": person}
            )
    if chair is None or chair not in committee:
        errors.append(_("The committee's chair must be one of its members."))
    elif chair.organisation_id != coordinator.pk:
        errors.append(
            _("The committee is chaired by the coordinator's representative (CGCT L1414-3).")
        )
    if kind == CommitteeKind.COORDINATOR:
        outsiders = [p for p in committee if p.organisation_id != coordinator.pk]
        if outsiders:
            errors.append(
                _("The coordinator's tender committee is made of the coordinator's members only.")
            )
    else:
        per_org = Counter(p.organisation_id for p in committee)
        for org in member_organisations:
            if per_org.get(org.pk, 0) != 1:
                errors.append(
                    _(
                        "An ad hoc committee has exactly one representative of each member "
                        "(CGCT L1414-3); %(org)s has %(count)s."
                    )
                    % {"org": org, "count": per_org.get(org.pk, 0)}
                )
        member_ids = {org.pk for org in member_organisations}
        if any(p.organisation_id not in member_ids for p in committee):
            errors.append(_("Every committee member must belong to a member of the groupement."))
    return errors


def unsigned_members_error(organisations) -> str:
    return _(
        "The convention takes effect only once every member has deliberated and signed; "
        "still waiting for: %(orgs)s."
    ) % {"orgs": ", ".join(str(org) for org in organisations)}


def deliberation_errors(membership) -> list[str]:
    """Members deliberate, sign or withdraw only while the convention is before their
    assemblies."""
    if membership.groupement.state != GroupementState.DELIBERATING:
        return [
            _("Members deliberate and sign only while the groupement is “%(state)s”.")
            % {"state": GroupementState.DELIBERATING.label}
        ]
    return []


def withdrawal_reason_errors(reason: str) -> list[str]:
    if not reason.strip():
        return [_("Say why the member withdraws.")]
    return []


def withdrawal_errors(membership) -> list[str]:
    errors = []
    if not membership.groupement.withdrawal_allowed:
        errors.append(_("The convention does not allow a member to withdraw."))
    if membership.organisation_id == membership.groupement.coordinator_id:
        errors.append(
            _("The coordinator cannot withdraw: the convention would have no coordinator.")
        )
    return errors


def member_answer_errors(
    *, approve: bool, comment: str, already_answered: bool, reason_missing: str, answered: str
) -> list[str]:
    """A member's référent answers once per round, and a refusal states its reason.

    The same rule for every answer a member gives (tender documents, award, amendment); the
    caller's rules say in their own words what the member did not explain (`reason_missing`)
    and what it already answered (`answered`).
    """
    if not approve and not comment.strip():
        return [reason_missing]
    if already_answered:
        return [answered]
    return []
