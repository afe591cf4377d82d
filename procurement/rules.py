"""The legal rules of a consultation, as functions returning French messages naming the rule."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core import clock
from core.formats import format_amount, format_day, format_moment
from core.uploads import upload_error
from groupement.choices import GroupementState, MembershipState
from groupement.identifiers import validate_siret
from groupement.rules import member_answer_errors
from procurement import delays
from procurement.choices import (
    FORMAL_PROCEDURES,
    ConsultationState,
    DocumentKind,
    OfferState,
    Procedure,
    ReviewDecision,
)
from procurement.thresholds import eu_threshold


def deadline_passed(consultation, *, now=None) -> bool:
    """Server time decides, to the second, whatever state the consultation is recorded in."""
    return (now or clock.now()) >= consultation.offers_deadline


def document_file_errors(upload) -> list[str]:
    """The one check of tender and bid documents: type and size."""
    error = upload_error(
        upload,
        extensions=settings.TENDER_DOCUMENT_EXTENSIONS,
        max_bytes=settings.TENDER_DOCUMENT_MAX_BYTES,
    )
    return [error] if error else []


def required_documents(procedure) -> list[str]:
    if procedure in FORMAL_PROCEDURES:
        return [DocumentKind.RC, DocumentKind.CCAP, DocumentKind.CCTP, DocumentKind.AE]
    return [DocumentKind.RC]


def groupement_errors(consultation) -> list[str]:
    if consultation.groupement.state != GroupementState.IN_FORCE:
        return [
            _(
                "A consultation is launched only inside a groupement in force "
                "(convention constitutive, art. L2113-7 CCP)."
            )
        ]
    return []


def threshold_errors(*, procedure, nature, value, day) -> list[str]:
    threshold = eu_threshold(nature=nature, day=day)
    if procedure == Procedure.ADAPTED and value >= threshold:
        return [
            _(
                "At %(value)s the consultation reaches the European threshold of "
                "%(threshold)s applicable on %(day)s: a formal procedure is required "
                "(art. L2124-1 and R2124-1 CCP)."
            )
            % {
                "value": format_amount(value),
                "threshold": format_amount(threshold),
                "day": format_day(day),
            }
        ]
    return []


def consultation_terms_errors(terms, *, reference_taken: bool) -> list[str]:
    """The terms of a consultation being drafted: `terms` has its reference, procedure, nature,
    deadlines and lots (each with its estimated value); `reference_taken`: another consultation
    already bears the reference."""
    errors = []
    if reference_taken:
        errors.append(
            _("A consultation with reference %(ref)s already exists.") % {"ref": terms.reference}
        )
    if not terms.lots:
        errors.append(_("A consultation has at least one lot."))
    errors += questions_deadline_errors(terms.questions_deadline, terms.offers_deadline)
    errors += threshold_errors(
        procedure=terms.procedure,
        nature=terms.nature,
        value=sum((lot.estimated_value for lot in terms.lots), Decimal(0)),
        day=clock.today(),
    )
    return errors


def consultation_edit_errors(consultation) -> list[str]:
    if consultation.state != ConsultationState.DRAFT:
        return [_("A consultation is edited only as a draft, before the members review it.")]
    return []


def document_errors(consultation) -> list[str]:
    present = {d.kind for d in consultation.documents.all() if d.current}
    missing = [kind for kind in required_documents(consultation.procedure) if kind not in present]
    if not missing:
        return []
    labels = ", ".join(str(DocumentKind(kind).label) for kind in missing)
    return [
        _("Tender documents missing before the members can review them: %(labels)s.")
        % {"labels": labels}
    ]


def questions_deadline_errors(questions_deadline, offers_deadline) -> list[str]:
    if questions_deadline >= offers_deadline:
        return [_("The questions deadline must come before the offers deadline.")]
    return []


def draft_warnings(consultation, *, now=None) -> list[str]:
    """What the publication would refuse if it happened now, said when the draft is saved:
    the legal minimum delay counts from the publication, which comes after the review."""
    if consultation.state not in (ConsultationState.DRAFT, ConsultationState.MEMBER_REVIEW):
        return []
    return offer_delay_errors(consultation, published_at=now or clock.now())


def deadline_errors(consultation, *, published_at) -> list[str]:
    return offer_delay_errors(consultation, published_at=published_at) + (
        questions_deadline_errors(consultation.questions_deadline, consultation.offers_deadline)
    )


def offer_delay_errors(consultation, *, published_at) -> list[str]:
    errors = []
    earliest, delay = delays.earliest_offers_deadline(
        published_at,
        consultation.procedure,
        electronic=consultation.electronic_submission,
        urgency=consultation.urgency,
    )
    if consultation.offers_deadline < earliest:
        errors.append(
            _(
                "The offers deadline is too early: the legal minimum is %(days)s days "
                "(%(rule)s), so not before %(earliest)s if published now."
            )
            % {"days": delay.days, "rule": delay.rule, "earliest": format_moment(earliest)}
        )
    return errors


def review_blockers(consultation) -> list[str]:
    errors = groupement_errors(consultation)
    if not consultation.lots.exists():
        errors.append(_("A consultation has at least one lot."))
    errors += threshold_errors(
        procedure=consultation.procedure,
        nature=consultation.nature,
        value=consultation.estimated_value,
        day=clock.today(),
    )
    errors += document_errors(consultation)
    return errors + questions_deadline_errors(
        consultation.questions_deadline, consultation.offers_deadline
    )


def reviewing_organisations(consultation):
    return [
        m.organisation
        for m in consultation.groupement.memberships.select_related("organisation")
        if m.state == MembershipState.SIGNED
    ]


def missing_approvals(consultation) -> list:
    approved = set(
        consultation.reviews.filter(
            review_round=consultation.review_round, decision=ReviewDecision.APPROVED
        ).values_list("organisation_id", flat=True)
    )
    return [org for org in reviewing_organisations(consultation) if org.pk not in approved]


def approval_errors(consultation) -> list[str]:
    missing = missing_approvals(consultation)
    if missing:
        return [
            _(
                "Every member's référent approves the tender documents before publication; "
                "still waiting for: %(orgs)s."
            )
            % {"orgs": ", ".join(str(org) for org in missing)}
        ]
    return []


def publication_blockers(consultation, *, now=None) -> list[str]:
    now = now or clock.now()
    errors = groupement_errors(consultation)
    errors += approval_errors(consultation)
    errors += threshold_errors(
        procedure=consultation.procedure,
        nature=consultation.nature,
        value=consultation.estimated_value,
        day=clock.day_of(now),
    )
    errors += document_errors(consultation)
    errors += deadline_errors(consultation, published_at=now)
    return errors


def replacement_errors(consultation, *, now=None) -> list[str]:
    """A tender document replaced while published leaves candidates the legal notice."""
    now = now or clock.now()
    notice = delays.information_notice(consultation.procedure, urgency=consultation.urgency)
    latest = delays.add_days(consultation.offers_deadline, -notice.days)
    if now > latest:
        return [
            _(
                "Candidates must have any change at least %(days)s days before the offers "
                "deadline (%(rule)s): extend the deadline first, then replace the document."
            )
            % {"days": notice.days, "rule": notice.rule}
        ]
    return []


def document_change_errors(consultation, *, reason="", now=None) -> list[str]:
    """Tender documents change freely in a draft; once published, only within the notice and
    with a reason, which every known candidate receives with the change."""
    if consultation.state not in (ConsultationState.DRAFT, ConsultationState.PUBLISHED):
        return [
            _(
                "Tender documents change only in a draft, or while published within the "
                "legal notice; send the consultation back to draft first."
            )
        ]
    if consultation.state == ConsultationState.PUBLISHED:
        errors = replacement_errors(consultation, now=now)
        if not reason.strip():
            errors.append(
                _(
                    "The consultation is published: say why the tender documents change; "
                    "every known candidate receives the reason with the change."
                )
            )
        return errors
    return []


def review_answer_errors(consultation, organisation, *, approve: bool, comment: str) -> list[str]:
    """A member's answer on the tender documents: while they are submitted to the members,
    once per review round, a request for changes saying which."""
    if consultation.state != ConsultationState.MEMBER_REVIEW:
        return [
            _(
                "The members review the tender documents only while the consultation is "
                "submitted to them."
            )
        ]
    return member_answer_errors(
        approve=approve,
        comment=comment,
        already_answered=consultation.reviews.filter(
            organisation=organisation, review_round=consultation.review_round
        ).exists(),
        reason_missing=_("Say which changes the member asks for."),
        answered=_("This member has already answered in this review round."),
    )


def cancellation_reason_errors(reason: str) -> list[str]:
    if not reason.strip():
        return [_("Say why the consultation is declared sans suite.")]
    return []


def extension_reason_errors(reason: str) -> list[str]:
    if not reason.strip():
        return [_("Say why the deadline is extended.")]
    return []


def extension_errors(consultation, *, offers_deadline, questions_deadline=None) -> list[str]:
    """The offers deadline is pushed back, never forward, while the consultation is published;
    `questions_deadline` None keeps the current one."""
    if consultation.state != ConsultationState.PUBLISHED:
        return [_("The deadline is extended only while the consultation is published.")]
    if offers_deadline <= consultation.offers_deadline:
        return [
            _("An extension sets a later offers deadline than %(current)s.")
            % {"current": format_moment(consultation.offers_deadline)}
        ]
    if questions_deadline is None:
        questions_deadline = consultation.questions_deadline
    return questions_deadline_errors(questions_deadline, offers_deadline)


# --- Questions and answers -----------------------------------------------------------------


def public_notice_errors(consultation, *, now=None) -> list[str]:
    """A consultation is public from its publication to its offers deadline: its DCE is then
    free, direct and complete, without identification (art. R2132-2 CCP)."""
    if consultation.state != ConsultationState.PUBLISHED or deadline_passed(consultation, now=now):
        return [_("This consultation is not open to candidates.")]
    return []


def registration_errors(*, company: str, siret: str) -> list[str]:
    """A candidate identifies itself by its company's name and its SIRET (Luhn key)."""
    errors = [] if company.strip() else [_("Give the company's name.")]
    try:
        validate_siret(siret)
    except ValidationError as error:
        errors += error.messages
    return errors


QUESTION_MAX_LENGTH = 5000


def question_text_errors(text: str) -> list[str]:
    if not text.strip():
        return [_("The question is empty.")]
    if len(text.strip()) > QUESTION_MAX_LENGTH:
        return [
            _("A question holds at most %(max)s characters; split it into several questions.")
            % {"max": number_format(QUESTION_MAX_LENGTH, force_grouping=True)}
        ]
    return []


def public_question_errors(consultation, *, now=None) -> list[str]:
    """A candidate asks on the notice until the questions deadline the RC sets, to the second;
    a later question the buyer may still record by hand, at its discretion."""
    errors = public_notice_errors(consultation, now=now)
    if not errors and (now or clock.now()) >= consultation.questions_deadline:
        errors.append(
            _("Questions were received until %(moment)s, as the RC sets.")
            % {"moment": format_moment(consultation.questions_deadline)}
        )
    return errors


def _minute(moment):
    # A receipt is typed to the minute: the minute of the publication is already after it.
    return moment.replace(second=0, microsecond=0)


def question_receipt_errors(consultation, *, sender: str, received_at, lot, now=None) -> list:
    """A question is registered as it came: from someone, once the consultation was public,
    not later than now, about the whole consultation or one of its own lots."""
    errors = []
    if not sender.strip():
        errors.append(_("Say who sent the question: the company or the person."))
    if received_at > (now or clock.now()):
        errors.append(_("A question cannot have been received later than now."))
    elif consultation.published_at and received_at < _minute(consultation.published_at):
        errors.append(
            _("A question is received after the publication of %(day)s.")
            % {"day": format_moment(consultation.published_at)}
        )
    if lot is not None and lot.consultation_id != consultation.pk:
        errors.append(_("This lot belongs to another consultation."))
    return errors


def question_errors(consultation) -> list[str]:
    if consultation.state != ConsultationState.PUBLISHED:
        return [_("Questions are recorded while the consultation is published.")]
    return []


def answer_text_errors(answer: str) -> list[str]:
    if not answer.strip():
        return [_("The answer is empty.")]
    return []


def answer_errors(question, *, now=None) -> list[str]:
    """An answer reaches every candidate in time: in a formal procedure at least 6 days (4 in
    urgency) before the offers deadline (art. R2132-6 CCP); later, extend the deadline first."""
    consultation = question.consultation
    if consultation.state != ConsultationState.PUBLISHED:
        return [_("Answers are published while the consultation is published.")]
    if question.answered_at:
        return [_("This question has already been answered.")]
    if consultation.procedure in FORMAL_PROCEDURES:
        notice = delays.information_notice(consultation.procedure, urgency=consultation.urgency)
        if (now or clock.now()) > delays.add_days(consultation.offers_deadline, -notice.days):
            return [
                _(
                    "In a formal procedure answers reach candidates at least %(days)s days "
                    "before the offers deadline (%(rule)s): extend the deadline first."
                )
                % {"days": notice.days, "rule": notice.rule}
            ]
    return []


def negotiation_errors(consultation) -> list[str]:
    if consultation.procedure in (Procedure.OPEN, Procedure.RESTRICTED):
        return [
            _(
                "An appel d'offres is awarded without negotiation (art. L2124-2 CCP); only a "
                "procédure adaptée or a procédure avec négociation may negotiate."
            )
        ]
    return []


@dataclass(frozen=True)
class RegularPrices:
    """The prices of a lot's regular offers, added up once: the mean of the offers other than
    any one of them is then one subtraction, not a pass over the lot."""

    total: Decimal
    count: int
    counted: frozenset  # the pks of the offers in the total

    @classmethod
    def of(cls, lot_bids) -> "RegularPrices":
        regular = [
            b
            for b in lot_bids
            if b.price is not None and not b.late and b.offer == OfferState.REGULAR
        ]
        return cls(
            sum((b.price for b in regular), Decimal(0)),
            len(regular),
            frozenset(b.pk for b in regular),
        )

    def mean_of_others(self, bid) -> Decimal | None:
        if bid.pk in self.counted:
            total, count = self.total - bid.price, self.count - 1
        else:
            total, count = self.total, self.count
        return total / count if count else None


def regular_prices_by_lot(bids) -> dict:
    """{lot pk: RegularPrices} of offers read from several lots (each with its lot_id)."""
    by_lot: dict[int, list] = {}
    for bid in bids:
        by_lot.setdefault(bid.lot_id, []).append(bid)
    return {lot: RegularPrices.of(lot_bids) for lot, lot_bids in by_lot.items()}


def abnormally_low_reasons(bid, lot_bids) -> list[str]:
    """Why this bid's price looks abnormally low, by the configured rules (empty: it does not).

    Compared with the mean of the other regular offers of the lot and with the lot's estimate.
    `lot_bids`: the lot's offers, or their RegularPrices when many offers are judged in turn.
    """
    if bid.price is None or bid.late:
        return []
    reasons = []
    mean_ratio = Decimal(settings.ABNORMALLY_LOW_MEAN_RATIO)
    estimate_ratio = Decimal(settings.ABNORMALLY_LOW_ESTIMATE_RATIO)
    prices = lot_bids if isinstance(lot_bids, RegularPrices) else RegularPrices.of(lot_bids)
    mean = prices.mean_of_others(bid)
    if mean is not None:
        if bid.price < mean * mean_ratio:
            reasons.append(
                _("below %(ratio)s %% of the mean of the other regular offers (%(mean)s)")
                % {
                    "ratio": number_format(mean_ratio * 100, decimal_pos=0),
                    "mean": format_amount(mean),
                }
            )
    estimate = bid.lot.estimated_value
    if bid.price < estimate * estimate_ratio:
        reasons.append(
            _("below %(ratio)s %% of the estimate (%(estimate)s)")
            % {
                "ratio": number_format(estimate_ratio * 100, decimal_pos=0),
                "estimate": format_amount(estimate),
            }
        )
    return reasons
