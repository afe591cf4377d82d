"""Importing the deposit register of the buyer-profile platform: CSV, all or nothing.

The file is `;`-separated, UTF-8 (with or without BOM) or Windows-1252, with a header line.
Every bad line is reported with its number and reason, and then nothing is saved.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.formats import counted
from core.workflow import BusinessRuleError, refuse_if
from groupement.identifiers import validate_siret
from journal.services import journal_record
from procurement import bid_rules, delays
from procurement.access import can_manage
from procurement.models import Bid, Bidder
from procurement.services.bids import BidTerms, bid_register, bidder_for

REQUIRED = ["lot", "raison_sociale", "siret", "date_depot", "numero_accuse"]
OPTIONAL = ["identifiant_etranger", "pays", "courriel"]
# Each column as long as the field that keeps it, no longer.
MAX_LENGTHS = {
    "raison_sociale": Bidder._meta.get_field("name").max_length,
    "numero_accuse": Bid._meta.get_field("receipt_number").max_length,
    "identifiant_etranger": Bidder._meta.get_field("foreign_id").max_length,
    "courriel": Bidder._meta.get_field("email").max_length,
}
DATE_FORMATS = ["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"]


@dataclass
class ImportReport:
    created: int = 0
    late: list = field(default_factory=list)  # line numbers of late deposits


def decode(raw: bytes) -> str:
    if b"\x00" in raw:
        raise BusinessRuleError(
            _("The file is neither UTF-8 nor Windows-1252 (is it UTF-16?); export it again.")
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise BusinessRuleError(
            _("The file is neither UTF-8 nor Windows-1252; export it again.")
        ) from None


def _moment(text: str):
    for fmt in DATE_FORMATS:
        try:
            naive = datetime.datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
        return naive.replace(tzinfo=delays.PARIS)
    return None


def _field_errors(values) -> list[str]:
    """The lengths, the e-mail address and the country code of one line."""
    problems = [
        _("%(column)s longer than %(limit)s characters") % {"column": column, "limit": limit}
        for column, limit in MAX_LENGTHS.items()
        if len(values.get(column, "")) > limit
    ]
    if values.get("courriel") and len(values["courriel"]) <= MAX_LENGTHS["courriel"]:
        try:
            validate_email(values["courriel"])
        except ValidationError:
            problems.append(
                _("e-mail address “%(email)s” not valid") % {"email": values["courriel"]}
            )
    country = values.get("pays", "")
    if country and not (len(country) == 2 and country.isalpha() and country.isascii()):
        problems.append(_("country “%(country)s” is not a two-letter code") % {"country": country})
    return problems


def _parse(consultation, text: str):
    try:
        return _parse_lines(consultation, text)
    except csv.Error as error:
        # A field beyond the csv module's limit, a NUL character...: the file is not a register.
        raise BusinessRuleError(
            _("The file cannot be read as a deposit register (%(error)s).") % {"error": error}
        ) from None


def _parse_lines(consultation, text: str):
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise BusinessRuleError(
            _("Missing columns: %(missing)s. Expected: %(expected)s.")
            % {"missing": ", ".join(missing), "expected": ";".join(REQUIRED + OPTIONAL)}
        )
    reader.fieldnames = header
    lots = {str(lot.number): lot for lot in consultation.lots.all()}
    existing = set(
        Bid.objects.filter(lot__consultation=consultation).values_list(
            "lot__number", "bidder__siret"
        )
    )
    now = clock.now()
    rows, errors, seen = [], [], set()
    for number, row in enumerate(reader, start=2):
        values = {k: (v or "").strip() for k, v in row.items() if k}
        problems = _field_errors(values)
        lot = lots.get(values["lot"].lstrip("0") or values["lot"])
        if lot is None:
            problems.append(_("unknown lot “%(lot)s”") % {"lot": values["lot"]})
        if not values["raison_sociale"]:
            problems.append(_("no company name"))
        siret = values["siret"].replace(" ", "")
        foreign = values.get("identifiant_etranger", "")
        if siret:
            try:
                validate_siret(siret)
            except ValidationError as error:
                problems.append(f"SIRET {siret} : {error.messages[0]}")
        elif not foreign:
            problems.append(_("neither SIRET nor foreign identifier"))
        received_at = _moment(values["date_depot"])
        if received_at is None:
            problems.append(
                _("deposit date “%(date)s” not understood (expected dd/mm/yyyy hh:mm)")
                % {"date": values["date_depot"]}
            )
        elif received_at > now:
            problems.append(_("deposit dated in the future"))
        key = (values["lot"], siret or foreign)
        if key in seen:
            problems.append(_("same bidder twice for this lot in the file"))
        elif lot is not None and siret and (lot.number, siret) in existing:
            problems.append(_("this bidder's deposit for this lot is already registered"))
        seen.add(key)
        if problems:
            errors.append(
                _("line %(n)s: %(problems)s") % {"n": number, "problems": "; ".join(problems)}
            )
        else:
            rows.append((number, lot, values, siret, foreign, received_at))
    if errors:
        raise BusinessRuleError(errors)
    if not rows:
        raise BusinessRuleError(_("The file has no deposit line."))
    return rows


def bids_import_register(*, consultation, user, upload) -> ImportReport:
    if not can_manage(user, consultation):
        raise PermissionDenied
    refuse_if(bid_rules.register_file_errors(upload))
    rows = _parse(consultation, decode(upload.read()))
    report = ImportReport()
    with transaction.atomic():
        for number, lot, values, siret, foreign, received_at in rows:
            bidder = bidder_for(
                name=values["raison_sociale"],
                siret=siret,
                foreign_id=foreign,
                country=(values.get("pays") or "FR").upper(),
                email=values.get("courriel", ""),
            )
            bid = bid_register(
                lot=lot,
                user=user,
                terms=BidTerms(
                    bidder=bidder, receipt_number=values["numero_accuse"], received_at=received_at
                ),
            )
            report.created += 1
            if bid.late:
                report.late.append(number)
        journal_record(
            actor=user,
            obj=consultation,
            action="import du registre des dépôts",
            from_state=consultation.state,
            to_state=consultation.state,
            reason=f"{upload.name} : {counted(report.created, 'dépôt', 'dépôts')}"
            + (f", dont {len(report.late)} hors délai" if report.late else ""),
        )
    return report
