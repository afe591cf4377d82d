"""What the open-data tests share: the official schemas and codelists, and builders of
contracts and amendments in the states the exports read."""

import csv
import datetime
import json
import re
from decimal import Decimal as D
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from jsonschema import Draft4Validator, Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from contracts import services
from contracts.models import (
    Amendment,
    AmendmentState,
    Contract,
)
from core import clock as server_clock
from groupement.models import Role
from procurement.models import (
    Subcontractor,
)
from tests.contracts.conftest import MEMBERS

# The official schemas, unchanged from their publishers (see contracts/schemas/README.md).
SCHEMAS = Path(settings.BASE_DIR) / "contracts" / "schemas"
DECP_SCHEMA = SCHEMAS / "decp-2.0.3" / "schema_decp_v2.0.3.json"
OCDS = SCHEMAS / "ocds-1.1.5"
# The bounds measured for the builders (see the query tests below), whatever the size.
DECP_QUERIES = 5
OCDS_QUERIES = 5


def load(path: Path) -> dict:
    # A missing schema must fail the suite, never skip it: the exports would go unchecked.
    if not path.is_file():
        pytest.fail(f"Official schema missing: {path} (expected in {SCHEMAS}).", pytrace=False)
    return json.loads(path.read_text(encoding="utf-8"))


def codes(codelist: str) -> set[str]:
    path = OCDS / "codelists" / codelist
    if not path.is_file():
        pytest.fail(f"OCDS codelist missing: {path}.", pytrace=False)
    with path.open(encoding="utf-8") as rows:
        return {row["Code"] for row in csv.DictReader(rows)}


# jsonschema checks "date-time" and "uri" only with optional packages: check them here, as
# OCDS means them (RFC 3339 date-times with their offset, absolute URIs).
FORMATS = FormatChecker()
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


@FORMATS.checks("date-time")
def is_date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    return bool(RFC3339.match(value)) and datetime.datetime.fromisoformat(value) is not None


@FORMATS.checks("uri")
def is_uri(value) -> bool:
    return not isinstance(value, str) or bool(urlparse(value).scheme)


def decp_errors(document) -> list[str]:
    validator = Draft7Validator(load(DECP_SCHEMA), format_checker=FORMATS)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def ocds_errors(package) -> list[str]:
    """Each release against the local release schema, then the package, whose reference to
    the release schema's URL resolves to the same local file."""
    release_schema = load(OCDS / "release-schema.json")
    package_schema = load(OCDS / "release-package-schema.json")
    url = package_schema["properties"]["releases"]["items"]["$ref"]
    registry = Registry().with_resource(
        url, Resource.from_contents(release_schema, default_specification=DRAFT4)
    )
    errors = []
    for release in package.get("releases", []):
        validator = Draft4Validator(release_schema, format_checker=FORMATS)
        errors += [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(release)]
    validator = Draft4Validator(package_schema, registry=registry, format_checker=FORMATS)
    errors += [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(package)]
    return errors


def marche_enum(field) -> set[str]:
    """The allowed values of a DECP field, read from the schema: down its references, array
    items and (first) properties to the enum."""
    marche = load(DECP_SCHEMA)["definitions"]["marche"]

    def resolved(spec):
        while "$ref" in spec:
            spec = marche["definitions"][spec["$ref"].rsplit("/", 1)[-1]]
        return spec

    spec = resolved(marche["properties"][field])
    while "enum" not in spec:
        spec = resolved(
            spec["items"] if "items" in spec else next(iter(spec["properties"].values()))
        )
    return set(spec["enum"])


def today():
    return server_clock.today()


def the_marche(document) -> dict:
    (marche,) = document["marches"]["marche"]
    return marche


def propose_and_sign(flow, **kwargs) -> Amendment:
    values = {"ground": "small", "description": "Ajout d'ateliers.", "amount_change": D("10000")}
    values.update(kwargs)
    amendment = services.amendment_propose(
        contract=flow.contract(), user=flow.coordinator, **values
    )
    for key in MEMBERS:
        services.amendment_review(
            amendment=amendment, user=flow.world.user(key, Role.REFERENT), approve=True
        )
    for key in MEMBERS:
        services.amendment_sign(
            amendment=amendment, user=flow.world.user(key, Role.REFERENT), on=today()
        )
    amendment.refresh_from_db()
    assert amendment.state == AmendmentState.SIGNED
    return amendment


def clone(obj, **changes):
    values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    values.pop(obj._meta.pk.attname)
    values.update(changes)
    return type(obj).objects.create(**values)


def add_awarded_lot(contract, number) -> Contract:
    """Another lot of the same consultation, awarded to the same winner, with a notified
    amendment and a subcontractor: more rows of every kind the builders read."""
    lot = clone(contract.lot, number=number, title=f"Lot {number}")
    bids = [clone(bid, lot_id=lot.pk) for bid in contract.lot.bids.all()]
    winner = next(bid for bid in bids if bid.bidder_id == contract.award.bid.bidder_id)
    Subcontractor.objects.create(bid=winner, name="Sous-traitant", services="Ateliers")
    award = clone(contract.award, lot_id=lot.pk, bid_id=winner.pk)
    copy = clone(contract, lot_id=lot.pk, award_id=award.pk, number=f"{contract.number}-{number}")
    Amendment.objects.create(
        contract=copy,
        number=1,
        ground="small",
        description="Ajout d'ateliers.",
        amount_change=D("1000"),
        state=AmendmentState.SIGNED,
        proposed_by=contract.award.proposed_by,
        proposed_at=server_clock.now(),
        signed_on=today(),
        notified_on=today(),
    )
    return copy
