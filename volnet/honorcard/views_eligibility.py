"""資格查詢: who in a unit (or in an authority's units) may have a 榮譽卡, a badge or a medal, and why not.

The scope comes from `units.access`: a unit's staff query their current unit; authority staff may also
query every unit of their authority (`?scope=authority`). `queries.standings` evaluates everyone in the
scope with a fixed number of queries, so the filters (符合／不符合) can run over the whole list.

The page lives in the honor-card app, not in eligibility: it shows each volunteer's current card and the
applications already made, and applies for cards and awards; the engine below it only gives verdicts.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from volnet.eligibility import certificates, engine
from volnet.honorcard import queries
from volnet.http import int_or_none
from volnet.paging import paginate
from volnet.staffweb import current_unit, staff_required
from volnet.units import access

TABS = [
    ("honor_card", _("榮譽卡")),
    ("health", _("衛生福利獎勵")),
    ("medal", _("志願服務獎勵")),
    ("eligible", _("符合獎勵資格")),
]
SHOW = [("all", _("全部")), ("yes", _("符合資格")), ("no", _("不符合資格"))]
TAB_SCHEME = {
    "honor_card": engine.Scheme.HONOR_CARD,
    "health": engine.Scheme.HEALTH_BADGE,
    "medal": engine.Scheme.VOLUNTEER_MEDAL,
}


def _scope(request):
    """The unit switcher's unit, or (`?scope=authority`) an authority of the user's: 404 if they have none."""
    if request.GET.get("scope") == "authority":
        scope = queries.authority_scope(request.user, int_or_none(request.GET.get("authority")))
        if scope is None:
            raise Http404(gettext("您不是主管機關的工作人員。"))
        return scope
    return queries.unit_scope(request.user, current_unit(request))


@staff_required
@require_GET
def query(request):
    today = timezone.localdate()
    scope = _scope(request)
    tab = request.GET.get("tab") if request.GET.get("tab") in dict(TABS) else "honor_card"
    show = request.GET.get("show") if request.GET.get("show") in dict(SHOW) else "all"
    text = (request.GET.get("q") or "").strip()[:40]
    rows = queries.standings(scope, today, text=text, scheme=TAB_SCHEME.get(tab))
    eligible_count = sum(1 for row in rows if row.matches("yes"))
    rules = engine.rulebook(today)
    return render(request, "honorcard/eligibility.html", {
        "menu": "eligibility",
        "scope_label": scope.label,
        "unit": scope.unit,
        "authority": scope.authority,
        "can_query_authority": access.is_authority_staff(request.user),
        "can_apply": scope.unit is not None,
        "can_issue_certificate": scope.unit is not None and certificates.can_issue(request.user, scope.unit),
        "tabs": TABS,
        "tab": tab,
        "tab_label": dict(TABS)[tab],
        "show_choices": SHOW,
        "show": show,
        "text": text,
        "page": paginate(request, [row for row in rows if row.matches(show)]),
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
