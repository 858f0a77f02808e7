"""資格查詢: who in a unit (or in an authority's units) may have a 榮譽卡, a badge or a medal, and why not.

The scope comes from `units.access`: a unit's staff query their current unit; authority staff may also
query every unit of their authority (`?scope=authority`). The engine evaluates everyone in the scope
with a fixed number of queries, so the filters (符合／不符合) can run over the whole list.

The page lives in the honor-card app, not in eligibility: it shows each volunteer's current card and the
applications already made, and applies for cards and awards; the engine below it only gives verdicts.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from volnet.accounts.queries import people_filter
from volnet.eligibility import certificates, engine
from volnet.honorcard import queries
from volnet.honorcard.models import AwardApplication, HonorCard, HonorCardApplication
from volnet.paging import paginate
from volnet.staffweb import current_unit, staff_required
from volnet.units import access
from volnet.units.models import Membership

TABS = [
    ("honor_card", _("榮譽卡")),
    ("health", _("衛生福利獎勵")),
    ("medal", _("志願服務獎勵")),
    ("eligible", _("符合獎勵資格")),
]
SHOW = [("all", _("全部")), ("yes", _("符合資格")), ("no", _("不符合資格"))]
TAB_SCHEME = {"honor_card": "honor_card", "health": engine.Scheme.HEALTH_BADGE, "medal": engine.Scheme.VOLUNTEER_MEDAL}


def _scope(request):
    """(label, unit or None, authority or None, memberships queryset), all from units.access."""
    if request.GET.get("scope") == "authority":
        authorities = access.authorities_of(request.user)
        authority = authorities.filter(pk=request.GET.get("authority") or None).first() or authorities.first()
        if authority is None:
            raise Http404(gettext("您不是主管機關的工作人員。"))
        units = access.managed_units(request.user).filter(authority=authority)
        memberships = Membership.objects.active().filter(unit__in=units)
        return authority.name, None, authority, memberships
    unit = current_unit(request)
    return unit.label, unit, None, access.unit_members(request.user, unit)


class Row:
    """One volunteer in the list: their evaluation and what has been applied for already."""

    def __init__(self, volunteer, units, evaluation, unit):
        self.volunteer = volunteer
        self.units = units
        self.evaluation = evaluation
        self.certificate = evaluation.certificates.get(unit.pk) if unit else None
        self.certificate_issued = False
        self.card_pending = False
        self.award_pending = set()
        self.current_card = None
        self.shown = None
        self.pending = False

    def result(self, tab):
        if tab == "honor_card":
            return self.evaluation.honor_card
        if tab in TAB_SCHEME:
            return self.evaluation.awards[TAB_SCHEME[tab]]
        return None

    def matches(self, tab, show):
        if tab == "eligible":
            return self.evaluation.any_eligible
        if show == "all":
            return True
        return self.result(tab).eligible == (show == "yes")


@staff_required
@require_GET
def query(request):
    today = timezone.localdate()
    label, unit, authority, memberships = _scope(request)
    tab = request.GET.get("tab") if request.GET.get("tab") in dict(TABS) else "honor_card"
    show = request.GET.get("show") if request.GET.get("show") in dict(SHOW) else "all"
    text = (request.GET.get("q") or "").strip()[:40]
    if text:
        memberships = memberships.filter(people_filter(text, prefix="volunteer__"))

    people = {}
    units = {}
    for membership in memberships.select_related("volunteer", "unit").order_by("volunteer__name", "volunteer_id"):
        people.setdefault(membership.volunteer_id, membership.volunteer)
        units.setdefault(membership.volunteer_id, []).append(membership.unit)
    evaluations = queries.evaluate_many(list(people), today) if people else {}
    rows = [Row(people[pk], units[pk], evaluations[pk], unit) for pk in people]

    ids = list(people)
    pending_cards = set(
        HonorCardApplication.objects.filter(volunteer_id__in=ids, status=HonorCardApplication.Status.PENDING)
        .values_list("volunteer_id", flat=True)
    )
    pending_awards = {}
    for volunteer_id, scheme in AwardApplication.objects.filter(
        volunteer_id__in=ids, status=AwardApplication.Status.PENDING
    ).values_list("volunteer_id", "scheme"):
        pending_awards.setdefault(volunteer_id, set()).add(scheme)
    current_cards = HonorCard.objects.current_for_many(ids, today)
    issued = certificates.issued_periods(unit, ids) if unit else set()
    for row in rows:
        pk = row.volunteer.pk
        if row.certificate is not None:
            row.certificate_issued = (pk, row.certificate.window_start, row.certificate.window_end) in issued
        row.card_pending = pk in pending_cards
        row.award_pending = pending_awards.get(pk, set())
        row.current_card = current_cards.get(pk)
        row.shown = row.result(tab)
        row.pending = row.card_pending if tab == "honor_card" else TAB_SCHEME.get(tab) in row.award_pending

    shown = [row for row in rows if row.matches(tab, show)]
    page = paginate(request, shown)

    eligible_count = sum(1 for row in rows if row.matches(tab, "yes"))
    rules = engine.rulebook(today)
    return render(request, "honorcard/eligibility.html", {
        "menu": "eligibility",
        "scope_label": label,
        "unit": unit,
        "authority": authority,
        "can_query_authority": access.is_authority_staff(request.user),
        "can_apply": unit is not None,
        "can_issue_certificate": unit is not None and certificates.can_issue(request.user, unit),
        "tabs": TABS,
        "tab": tab,
        "tab_label": dict(TABS)[tab],
        "show_choices": SHOW,
        "show": show,
        "text": text,
        "page": page,
        "total": len(rows),
        "eligible_count": eligible_count,
        "ineligible_count": len(rows) - eligible_count,
        "window_end": engine.end_of_previous_month(today),
        "honor_rule": rules.one(engine.Scheme.HONOR_CARD),
        "certificate_rule": rules.one(engine.Scheme.CERTIFICATE),
        "badge_levels": rules.current(engine.Scheme.HEALTH_BADGE),
        "medal_levels": rules.current(engine.Scheme.VOLUNTEER_MEDAL),
        "scheme": TAB_SCHEME.get(tab, ""),
    })
