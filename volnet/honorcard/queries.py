"""Read-side queries of honor cards: the volunteer's own list (榮譽紀錄), and the eligibility engine's
verdicts with the cards the volunteers already hold.

Which card is *current* is `HonorCard.objects.current_for` (models.py), the one definition every page uses.
The engine (eligibility, below this app) does not read cards itself: `evaluate_many` / `evaluate_volunteer`
here give it `card_facts`, so every verdict on an honor card counts only hours after the previous card's
window. Use these, not the engine's own, wherever an honor-card verdict is shown or acted on.

資格查詢 (the page in views_eligibility.py) reads through `unit_scope` / `authority_scope` and `standings`.
"""

import dataclasses
from collections import defaultdict

from django.db.models import QuerySet

from volnet.accounts.queries import people_filter
from volnet.eligibility import certificate_requests, certificates, engine
from volnet.honorcard.models import AwardApplication, HonorCard, HonorCardApplication
from volnet.units import access
from volnet.units.models import Authority, Membership, Unit


def cards_for(volunteer):
    """Every card of the volunteer with its issuing authority, newest first."""
    return HonorCard.objects.filter(volunteer=volunteer).select_related("authority").order_by("-valid_from", "-id")


def card_facts(ids):
    """(volunteer id, engine.CardFact) for every card of the volunteers (`ids`: ids or a subquery): one query."""
    for row in HonorCard.objects.filter(volunteer__in=ids).values_list(
        "volunteer_id", "pk", "number", "counted_from", "counted_to", "valid_from", "valid_to", "status"
    ):
        volunteer_id, pk, number, counted_from, counted_to, valid_from, valid_to, status = row
        active = status == HonorCard.Status.ACTIVE
        yield volunteer_id, engine.CardFact(pk, number, counted_from, counted_to, valid_from, valid_to, active)


def evaluate_many(volunteers, today):
    """engine.evaluate_many with the volunteers' honor cards: {volunteer id: Evaluation}."""
    return engine.evaluate_many(volunteers, today, card_facts=card_facts)


def evaluate_volunteer(volunteer, today):
    return engine.evaluate_volunteer(volunteer, today, card_facts=card_facts)


# ---------------------------------------------------------------------------------------------------
# 資格查詢: whom a staff member may query, and each volunteer's standing there.


@dataclasses.dataclass
class Scope:
    """Whom a 資格查詢 covers: the serving volunteers of one unit, or of every unit of an authority."""

    label: str
    unit: Unit | None
    authority: Authority | None
    memberships: QuerySet


def unit_scope(user, unit):
    """The unit's serving volunteers; PermissionDenied for a unit the user does not manage."""
    return Scope(unit.label, unit, None, access.unit_members(user, unit))


def authority_scope(user, authority_id=None):
    """The serving volunteers of every unit of the authority asked for, among the user's (else the first
    of theirs); None when the user is no authority's staff."""
    authorities = access.authorities_of(user)
    authority = (authorities.filter(pk=authority_id).first() if authority_id else None) or authorities.first()
    if authority is None:
        return None
    units = access.managed_units(user).filter(authority=authority)
    return Scope(authority.name, None, authority,
                 Membership.objects.active().filter(unit__in=units))


@dataclasses.dataclass
class Standing:
    """One volunteer of a 資格查詢: the engine's verdicts, their units within the scope, and what has been
    applied for or issued already. `scheme` is the verdict the list looks at (`shown`, `pending`):
    Scheme.HONOR_CARD, HEALTH_BADGE or VOLUNTEER_MEDAL, or None for "eligible for anything"."""

    volunteer: object
    units: list
    evaluation: engine.Evaluation
    scheme: str | None = None
    certificate: engine.Result | None = None  # the scope unit's 績效證明書 verdict
    certificate_issued: bool = False  # for the period of that verdict
    certificate_requested: bool = False  # a request to the unit waits at one of its review steps
    card_pending: bool = False
    award_pending: set = dataclasses.field(default_factory=set)  # schemes
    current_card: HonorCard | None = None

    @property
    def shown(self):
        if self.scheme == engine.Scheme.HONOR_CARD:
            return self.evaluation.honor_card
        return self.evaluation.awards.get(self.scheme)

    @property
    def pending(self):
        return self.card_pending if self.scheme == engine.Scheme.HONOR_CARD else self.scheme in self.award_pending

    def matches(self, show):
        """Whether the list shows it: `show` is "all", "yes" (eligible) or "no"."""
        if self.scheme is None:
            return self.evaluation.any_eligible
        return show == "all" or self.shown.eligible == (show == "yes")


def standings(scope, today, *, text="", scheme=None):
    """Every volunteer of the scope (those a name or ID number `text` finds, as `people_filter` does) with
    their Standing, by name: a fixed number of queries however many volunteers."""
    memberships = scope.memberships
    if text:
        memberships = memberships.filter(people_filter(text, prefix="volunteer__"))
    people, units = {}, {}
    for membership in memberships.select_related("volunteer", "unit").order_by("volunteer__name", "volunteer_id"):
        people.setdefault(membership.volunteer_id, membership.volunteer)
        units.setdefault(membership.volunteer_id, []).append(membership.unit)
    if not people:
        return []
    ids = list(people)
    evaluations = evaluate_many(ids, today)
    pending_cards = set(
        HonorCardApplication.objects.filter(volunteer_id__in=ids, status=HonorCardApplication.Status.PENDING)
        .values_list("volunteer_id", flat=True)
    )
    pending_awards = defaultdict(set)
    for volunteer_id, award_scheme in AwardApplication.objects.filter(
        volunteer_id__in=ids, status=AwardApplication.Status.PENDING
    ).values_list("volunteer_id", "scheme"):
        pending_awards[volunteer_id].add(award_scheme)
    current_cards = HonorCard.objects.current_for_many(ids, today)
    issued = certificates.issued_periods(scope.unit, ids) if scope.unit else set()
    requested = certificate_requests.waiting_for(scope.unit, ids) if scope.unit else set()
    found = []
    for pk, volunteer in people.items():
        evaluation = evaluations[pk]
        certificate = evaluation.certificates.get(scope.unit.pk) if scope.unit else None
        found.append(Standing(
            volunteer=volunteer, units=units[pk], evaluation=evaluation, scheme=scheme, certificate=certificate,
            certificate_issued=certificate is not None
            and (pk, certificate.window_start, certificate.window_end) in issued,
            certificate_requested=pk in requested,
            card_pending=pk in pending_cards, award_pending=pending_awards[pk], current_card=current_cards.get(pk),
        ))
    return found
