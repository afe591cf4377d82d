"""The publication of the contracts' essential data (art. R2196-1 CCP)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from contracts import contract_rules
from contracts.models import Amendment, Contract
from core.workflow import refuse_if
from groupement.access import is_coordinator_manager
from journal.services import journal_record


def essential_data_record_publication(*, groupement, user, on) -> int:
    """The coordinator records the day it published the essential data (art. R2196-1 CCP):
    every notified contract and amendment not yet published. Returns how many."""
    if not is_coordinator_manager(user, groupement):
        raise PermissionDenied
    refuse_if(contract_rules.publication_date_errors(on))
    with transaction.atomic():
        contracts = list(
            Contract.objects.select_for_update(of=("self",))
            .filter(
                lot__consultation__groupement=groupement,
                notified_on__isnull=False,
                data_published_on__isnull=True,
            )
            .select_related("lot__consultation")
        )
        amendments = list(
            Amendment.objects.select_for_update(of=("self",))
            .filter(
                contract__lot__consultation__groupement=groupement,
                notified_on__isnull=False,
                data_published_on__isnull=True,
            )
            .select_related("contract")
        )
        refuse_if(contract_rules.essential_data_publication_errors(contracts, amendments, on))
        for contract in contracts:
            contract.data_published_on = on
            contract.save(update_fields=["data_published_on"])
            journal_record(
                actor=user,
                obj=contract,
                action="données essentielles publiées",
                from_state=contract.state,
                to_state=contract.state,
                reason=f"{on:%d/%m/%Y}",
            )
        for amendment in amendments:
            amendment.data_published_on = on
            amendment.save(update_fields=["data_published_on"])
            journal_record(
                actor=user,
                obj=amendment,
                action="données essentielles publiées",
                from_state=amendment.state,
                to_state=amendment.state,
                reason=f"{on:%d/%m/%Y}",
            )
    return len(contracts) + len(amendments)
