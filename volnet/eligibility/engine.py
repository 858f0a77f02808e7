"""The eligibility engine: plain functions over the rule table (`Rule`) and a volunteer's facts.

Two steps, so that a unit of hundreds of volunteers costs a fixed number of queries:

1. `gather(volunteers, until)` reads everything the rules look at for many volunteers at once (7 queries,
   whatever their number). Service hours are summed in SQL per volunteer, unit and service day, each
   record already rounded down to its authority's smallest unit; only hours that may count arrive here.
2. `evaluate(facts, rules, today)` applies the rules to one volunteer's facts: no database access.

Which hours count (domain.md §0 rules 7–8, §3.3, §7):
- approved service records only (training is a different table and never counts), not annotated as
  misused (管理辦法 §6), not served during a trial period (`Membership.trial_until`, exclusive), not
  entered by a unit the volunteer has not accepted (domain.md §9.12: `consent`), nor training so entered;
- served on or after the later of completed basic training and completed special training of the
  record book's category; when the training is not entered, on or after the record book's issue date;
- a record is dated by its first day (`start_date`), so every record falls into exactly one window and
  hours can never count twice.

Every window ends on the last day of the month before `today` (hours are keyed up to the end of the
previous month). A 榮譽卡's counting window ends on the later of its `counted_to` and its approval day
(`valid_from`); the next card counts only what comes after (花蓮 example 1: approved 112/12/13, the
next window starts 112/12/14).

The cards a volunteer already holds are facts the engine is given, not read: honor cards are an app above
this one (it applies for them on the engine's verdict), so `honorcard.queries.evaluate_many` passes
`card_facts`. Without them there is no honor-card verdict (`Evaluation.honor_card` is None); certificates,
badges and medals do not depend on cards.
"""

import bisect
import calendar
import dataclasses
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Case, DecimalField, F, QuerySet, Sum, When
from django.db.models.functions import Floor
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from volnet.eligibility.models import Rule, rule_text
from volnet.lib.hours import format_hours
from volnet.lib.rocdate import format as roc
from volnet.lib.words import join_list
from volnet.records.choices import ServiceCategory
from volnet.records.models import Award, RecordBook, ServiceRecord, TrainingRecord
from volnet.units.models import Membership

ZERO = Decimal("0")
ONE_DAY = dt.timedelta(days=1)
Scheme = Rule.Scheme
AWARD_KIND = {Scheme.VOLUNTEER_MEDAL: Award.Kind.VOLUNTEER_SERVICE, Scheme.HEALTH_BADGE: Award.Kind.HEALTH_WELFARE}
AWARD_SCHEMES = (Scheme.HEALTH_BADGE, Scheme.VOLUNTEER_MEDAL)


# ---------------------------------------------------------------------------------------------- dates


def add_months(day, months):
    """The same day `months` later; the 31st becomes the month's last day (2024-02-29 + 36 → 2027-02-28)."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year = day.year + years
    month = month_index + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def full_months(start, end):
    """Whole months of service from `start` through `end`, both days included."""
    if start is None or end is None or end < start:
        return 0
    stop = end + ONE_DAY
    months = (stop.year - start.year) * 12 + stop.month - start.month
    if add_months(start, months) > stop:
        months -= 1
    return max(months, 0)


def end_of_previous_month(today):
    return today.replace(day=1) - ONE_DAY


def format_months(months):
    """26 → `2年2個月`, 36 → `3年`, 8 → `8個月` (in English: 2 years 2 months, 3 years, 8 months)."""
    years, rest = divmod(int(months), 12)
    years_text = ngettext("%(count)d年", "%(count)d年", years) % {"count": years}
    months_text = ngettext("%(count)d個月", "%(count)d個月", rest) % {"count": rest}
    if years and rest:
        # Translators: a length of service, years then months, e.g. 2年2個月.
        return pgettext("years and months", "%(years)s%(months)s") % {"years": years_text, "months": months_text}
    if years:
        return years_text
    return months_text


# ---------------------------------------------------------------------------------------------- rules


@dataclasses.dataclass
class RuleBook:
    """Every rule row; `current(scheme)` gives the rows in force on `day`, training rules go by date."""

    day: dt.date
    rows: list

    def in_force(self, scheme, day):
        return sorted((r for r in self.rows if r.scheme == scheme and r.applies_on(day)), key=lambda r: r.rank)

    def current(self, scheme):
        return self.in_force(scheme, self.day)

    def one(self, scheme):
        rows = self.current(scheme)
        return rows[0] if rows else None


def rulebook(day):
    return RuleBook(day=day, rows=list(Rule.objects.all()))


# ---------------------------------------------------------------------------------------------- facts


@dataclasses.dataclass
class CardFact:
    """An honor card already issued, as the rules see it (given by `honorcard.queries.card_facts`)."""

    pk: int
    number: str
    counted_from: dt.date | None
    counted_to: dt.date | None
    valid_from: dt.date
    valid_to: dt.date
    active: bool

    @property
    def window_end(self):
        """The last day whose hours this card used up: the later of `counted_to` and the approval day."""
        return max(self.counted_to or self.valid_from, self.valid_from)


@dataclasses.dataclass
class Facts:
    """What the rules need to know about one volunteer. Hours: {unit_id: [(day, hours)]} sorted by day."""

    volunteer_id: int
    has_photo: bool = False
    book: tuple | None = None  # (issued_on, category)
    basic: list = dataclasses.field(default_factory=list)  # [(completed_on, minutes)]
    special: dict = dataclasses.field(default_factory=lambda: defaultdict(list))  # {category: [(day, minutes)]}
    cards: list | None = None  # [CardFact], None when the caller gave no card facts
    held: dict = dataclasses.field(default_factory=lambda: defaultdict(set))  # {award kind: {level/name}}
    first_joined: dict = dataclasses.field(default_factory=dict)  # {unit_id: earliest joined_on}
    hours: dict = dataclasses.field(default_factory=lambda: defaultdict(list))

    def hours_between(self, start, end, unit_id=None):
        """Counted hours with a service day in [start, end] at one unit or at all."""
        if start is None or end is None or end < start:
            return ZERO
        units = [unit_id] if unit_id is not None else list(self.hours)
        total = ZERO
        for unit in units:
            entries = self.hours.get(unit, [])
            days = [day for day, _ in entries]
            low = bisect.bisect_left(days, start)
            high = bisect.bisect_right(days, end)
            total += sum((value for _, value in entries[low:high]), ZERO)
        return total


def _counted_hours_expression():
    """Each record's hours, rounded down to its unit's authority's smallest unit (嘉義縣: 0.5 h), if any."""
    step = F("unit__authority__hour_rounding_step")
    decimal = DecimalField(max_digits=9, decimal_places=1)
    return Case(
        When(unit__authority__hour_rounding_step__gt=0, then=Floor(F("hours") / step) * step),
        default=F("hours"),
        output_field=decimal,
    )


def gather(volunteers, until, card_facts=None):
    """Facts for many volunteers in 6 queries, 7 with `card_facts`. `volunteers`: a User queryset or an
    iterable of user ids.

    Hours are read up to and including `until` (the evaluation's window end). `card_facts(ids)`, where
    given, yields (volunteer id, CardFact) for the volunteers' honor cards; `ids` is a subquery of their ids.
    """
    User = get_user_model()
    if not isinstance(volunteers, QuerySet):
        volunteers = User.objects.filter(pk__in=list(volunteers))
    ids = volunteers.order_by().values("pk")
    facts = {pk: Facts(volunteer_id=pk, has_photo=bool(photo)) for pk, photo in volunteers.values_list("pk", "photo")}
    if not facts:
        return facts

    for volunteer_id, issued_on, category in (
        RecordBook.objects.valid().filter(volunteer__in=ids)
        .values_list("volunteer_id", "issued_on", "category")
    ):
        facts[volunteer_id].book = (issued_on, category)

    trainings = (
        TrainingRecord.objects.counting()
        .filter(volunteer__in=ids, kind__in=[TrainingRecord.Kind.BASIC, TrainingRecord.Kind.SPECIAL])
        .values_list("volunteer_id", "kind", "category", "start_date", "end_date", "minutes")
    )
    for volunteer_id, kind, category, start, end, minutes in trainings:
        entry = (end or start, minutes)
        if kind == TrainingRecord.Kind.BASIC:
            facts[volunteer_id].basic.append(entry)
        else:
            facts[volunteer_id].special[category].append(entry)

    if card_facts is not None:
        for one in facts.values():
            one.cards = []
        for volunteer_id, card in card_facts(ids):
            facts[volunteer_id].cards.append(card)

    for volunteer_id, kind, level, name in Award.objects.filter(
        volunteer__in=ids, kind__in=list(AWARD_KIND.values())
    ).values_list("volunteer_id", "kind", "level", "name"):
        facts[volunteer_id].held[kind] |= {level, name}

    trials = defaultdict(list)
    for volunteer_id, unit_id, joined_on, trial_until in Membership.objects.accepted().filter(
        volunteer__in=ids
    ).values_list("volunteer_id", "unit_id", "joined_on", "trial_until"):
        known = facts[volunteer_id].first_joined.get(unit_id)
        facts[volunteer_id].first_joined[unit_id] = joined_on if known is None else min(known, joined_on)
        if trial_until:
            trials[(volunteer_id, unit_id)].append((joined_on, trial_until))

    rows = (
        ServiceRecord.objects.counting().filter(volunteer__in=ids, start_date__lte=until)
        .values("volunteer_id", "unit_id", "start_date")
        .annotate(total=Sum(_counted_hours_expression()))
        .order_by("volunteer_id", "unit_id", "start_date")
        .values_list("volunteer_id", "unit_id", "start_date", "total")
    )
    for volunteer_id, unit_id, day, total in rows:
        # 見習/實習: days before the end of a membership's trial (from joining) never count.
        if any(joined <= day < trial_end for joined, trial_end in trials.get((volunteer_id, unit_id), ())):
            continue
        facts[volunteer_id].hours[unit_id].append((day, Decimal(total)))
    return facts


# ---------------------------------------------------------------------------------------------- results


@dataclasses.dataclass
class Result:
    scheme: str
    name: str
    eligible: bool
    reasons: list
    hours: Decimal = ZERO
    required_hours: Decimal = ZERO
    months: int = 0
    required_months: int = 0
    window_start: dt.date | None = None
    window_end: dt.date | None = None
    rule: Rule | None = None
    unit_id: int | None = None
    held: str = ""
    held_rank: int = 0
    notes: list = dataclasses.field(default_factory=list)

    @property
    def seniority(self):
        return format_months(self.months)

    @property
    def required_seniority(self):
        return format_months(self.required_months)

    @property
    def display_name(self):
        """The rule's name (or the scheme's, when no rule is set) in the reader's language."""
        return rule_text(self.name)

    @property
    def held_label(self):
        """The level already held, in the reader's language."""
        return rule_text(self.held)

    @property
    def summary(self):
        return _("符合資格") if self.eligible else join_list(self.reasons) or _("不符合資格")


@dataclasses.dataclass
class Evaluation:
    volunteer_id: int
    today: dt.date
    window_end: dt.date
    service_start: dt.date | None
    honor_card: Result | None  # None: evaluated without the volunteer's cards (no card facts given)
    certificates: dict  # {unit_id: Result}
    health_badge: Result
    volunteer_medal: Result

    @property
    def awards(self):
        return {Scheme.HEALTH_BADGE: self.health_badge, Scheme.VOLUNTEER_MEDAL: self.volunteer_medal}

    @property
    def eligible_certificates(self):
        return [result for result in self.certificates.values() if result.eligible]

    @property
    def any_eligible(self):
        return (
            (self.honor_card is not None and self.honor_card.eligible)
            or self.health_badge.eligible
            or self.volunteer_medal.eligible
            or bool(self.eligible_certificates)
        )


def _completion(entries, rules, scheme):
    """(day the training was complete, minutes entered, minutes required). Minutes add up across courses;
    the requirement is the one in force on the day each course ended (12 h of basic training before
    2018-06-01, 6 h since)."""
    total = 0
    last_day = rules.day
    for day, minutes in sorted(entries):
        total += minutes
        last_day = day
        if total >= _required_minutes(rules, scheme, day):
            return day, total, _required_minutes(rules, scheme, day)
    return None, total, _required_minutes(rules, scheme, last_day)


def _required_minutes(rules, scheme, day):
    """The training requirement in force on `day`; before the first rule, the first rule's."""
    in_force = rules.in_force(scheme, day)
    if in_force:
        return in_force[0].min_minutes
    every = sorted((r for r in rules.rows if r.scheme == scheme), key=lambda r: r.effective_from)
    return every[0].min_minutes if every else 0


def _training(facts, rules):
    """(service start, reasons about training). Hours count from the later of the completed basic and
    special (of the record book's category) training; without them, from the record book's issue day."""
    reasons = []
    basic_day, basic_minutes, basic_required = _completion(facts.basic, rules, Scheme.BASIC_TRAINING)
    category = facts.book[1] if facts.book else None
    if category:
        special_entries = facts.special.get(category, [])
    else:
        special_entries = [entry for entries in facts.special.values() for entry in entries]
    special_day, special_minutes, special_required = _completion(special_entries, rules, Scheme.SPECIAL_TRAINING)

    if basic_day is None:
        reasons.append(
            _("缺基礎訓練") if not basic_minutes
            else _("基礎訓練未完成 %(done)s/%(required)s小時") % {
                "done": format_hours(Decimal(basic_minutes) / 60),
                "required": format_hours(Decimal(basic_required) / 60)}
        )
    if special_day is None:
        figures = {"done": format_hours(Decimal(special_minutes) / 60),
                   "required": format_hours(Decimal(special_required) / 60)}
        if category in ServiceCategory.values:
            figures["category"] = ServiceCategory(category).label
            reasons.append(
                _("缺特殊訓練（%(category)s）") % figures if not special_minutes
                else _("特殊訓練（%(category)s）未完成 %(done)s/%(required)s小時") % figures
            )
        else:
            reasons.append(
                _("缺特殊訓練") if not special_minutes else _("特殊訓練未完成 %(done)s/%(required)s小時") % figures
            )
    if basic_day and special_day:
        return max(basic_day, special_day), reasons
    known = [day for day in (basic_day, special_day) if day]
    if facts.book:
        return max([facts.book[0], *known]), reasons
    return None, reasons


def _shortfalls(rule, months, hours):
    reasons = []
    if rule.min_months and months < rule.min_months:
        reasons.append(_("年資不足 %(months)s/%(required)s") % {
            "months": format_months(months), "required": format_months(rule.min_months)})
    if hours < rule.min_hours:
        reasons.append(_("時數不足 %(hours)s/%(required)s") % {
            "hours": format_hours(hours), "required": format_hours(rule.min_hours)})
    return reasons


def _prerequisites(rule, facts, training_reasons):
    reasons = []
    if rule.needs_record_book and facts.book is None:
        reasons.append(_("缺紀錄冊"))
    if rule.needs_training:
        reasons.extend(training_reasons)
    if rule.needs_photo and not facts.has_photo:
        reasons.append(_("缺證件照"))
    return reasons


def _missing_rule(scheme):
    return Result(scheme=scheme, name=Scheme(scheme).label, eligible=False, reasons=[_("未設定資格規則")])


def evaluate_honor_card(facts, rules, today, service_start, training_reasons, window_end):
    rule = rules.one(Scheme.HONOR_CARD)
    if rule is None:
        return _missing_rule(Scheme.HONOR_CARD)
    start = service_start
    notes = []
    if facts.cards:
        previous = max(facts.cards, key=lambda card: card.window_end)
        after_previous = previous.window_end + ONE_DAY
        start = after_previous if start is None else max(start, after_previous)
        notes.append(_("已採計至 %(end)s（榮譽卡 %(number)s），自 %(start)s 起重新採計") % {
            "end": roc(previous.window_end), "number": previous.number, "start": roc(after_previous)})
        # The current card is the one valid longest (HonorCard.objects.current_for): its end is the latest.
        current = [card for card in facts.cards if card.active and card.valid_from <= today <= card.valid_to]
        if current:
            notes.append(_("現有榮譽卡有效至 %(date)s") % {"date": roc(max(card.valid_to for card in current))})
    months = full_months(start, window_end)
    hours = facts.hours_between(start, window_end)
    reasons = _prerequisites(rule, facts, training_reasons) + _shortfalls(rule, months, hours)
    return Result(
        scheme=Scheme.HONOR_CARD, name=rule.name, eligible=not reasons, reasons=reasons, hours=hours,
        required_hours=rule.min_hours, months=months, required_months=rule.min_months,
        window_start=start, window_end=window_end, rule=rule, notes=notes,
    )


def evaluate_certificates(facts, rules, service_start, training_reasons, window_end):
    """績效證明書, per unit: each unit certifies only its own hours and its own seniority."""
    rule = rules.one(Scheme.CERTIFICATE)
    if rule is None:
        return {}
    results = {}
    for unit_id in sorted(set(facts.hours) | set(facts.first_joined)):
        joined = facts.first_joined.get(unit_id)
        start = service_start
        if start is not None and joined is not None:
            start = max(start, joined)
        months = full_months(start, window_end)
        hours = facts.hours_between(service_start, window_end, unit_id=unit_id)
        reasons = _prerequisites(rule, facts, training_reasons) + _shortfalls(rule, months, hours)
        results[unit_id] = Result(
            scheme=Scheme.CERTIFICATE, name=rule.name, eligible=not reasons, reasons=reasons, hours=hours,
            required_hours=rule.min_hours, months=months, required_months=rule.min_months,
            window_start=start, window_end=window_end, rule=rule, unit_id=unit_id,
        )
    return results


def _held_rules(levels, held):
    return [rule for rule in levels if rule.level_label in held or rule.name in held]


def evaluate_award(facts, rules, scheme, service_start, training_reasons, window_end, certificates):
    """Medals and badges: the highest level reached above any level already held (each level once, never a
    lower one after a higher one). Medals count only the hours of units that can issue a 績效證明書."""
    levels = rules.current(scheme)
    if not levels:
        return _missing_rule(scheme)
    held_rules = _held_rules(levels, facts.held.get(AWARD_KIND[scheme], set()))
    top_held = max(held_rules, key=lambda rule: rule.rank) if held_rules else None
    months = full_months(service_start, window_end)
    all_hours = facts.hours_between(service_start, window_end)
    certified_units = [unit_id for unit_id, result in certificates.items() if result.eligible]
    certified_hours = sum((certificates[unit_id].hours for unit_id in certified_units), ZERO)

    def hours_for(rule):
        return certified_hours if rule.needs_certificate else all_hours

    def reasons_for(rule):
        reasons = _prerequisites(rule, facts, training_reasons)
        if rule.needs_certificate and not certified_units:
            reasons.append(_("缺績效證明書資格"))
        return reasons + _shortfalls(rule, months, hours_for(rule))

    open_levels = [
        rule for rule in levels
        if not rule.once_per_level or top_held is None or rule.rank > top_held.rank
    ]
    held_label = top_held.level_label if top_held else ""
    reachable = [rule for rule in open_levels if not reasons_for(rule)]
    if reachable:
        target = max(reachable, key=lambda rule: rule.rank)
        reasons = []
    elif open_levels:
        target = min(open_levels, key=lambda rule: rule.rank)
        reasons = reasons_for(target)
    else:
        target = top_held
        reasons = [_("已領有最高等級（%(level)s）") % {"level": top_held.display_level}]
    notes = []
    if target.needs_certificate and all_hours != certified_hours:
        notes.append(_("僅採計可開立績效證明書之單位時數（全部時數 %(hours)s）") % {"hours": format_hours(all_hours)})
    return Result(
        scheme=scheme, name=target.name, eligible=not reasons, reasons=reasons, hours=hours_for(target),
        required_hours=target.min_hours, months=months, required_months=target.min_months,
        window_start=service_start, window_end=window_end, rule=target, held=held_label,
        held_rank=top_held.rank if top_held else 0, notes=notes,
    )


def evaluate(facts, rules, today):
    window_end = end_of_previous_month(today)
    service_start, training_reasons = _training(facts, rules)
    certificates = evaluate_certificates(facts, rules, service_start, training_reasons, window_end)
    common = dict(service_start=service_start, training_reasons=training_reasons, window_end=window_end)
    return Evaluation(
        volunteer_id=facts.volunteer_id,
        today=today,
        window_end=window_end,
        service_start=service_start,
        honor_card=evaluate_honor_card(facts, rules, today, **common) if facts.cards is not None else None,
        certificates=certificates,
        health_badge=evaluate_award(facts, rules, Scheme.HEALTH_BADGE, certificates=certificates, **common),
        volunteer_medal=evaluate_award(facts, rules, Scheme.VOLUNTEER_MEDAL, certificates=certificates, **common),
    )


def evaluate_many(volunteers, today, card_facts=None):
    """{volunteer id: Evaluation} for a User queryset or ids, in a fixed number of queries. The honor-card
    verdict needs `card_facts` (see gather); `honorcard.queries.evaluate_many` gives them."""
    rules = rulebook(today)
    facts = gather(volunteers, until=end_of_previous_month(today), card_facts=card_facts)
    return {pk: evaluate(one, rules, today) for pk, one in facts.items()}


def evaluate_volunteer(volunteer, today, card_facts=None):
    pk = getattr(volunteer, "pk", volunteer)
    return evaluate_many([pk], today, card_facts=card_facts)[pk]


# ---------------------------------------------------------------------------------------------- training gaps


def required_training_minutes(scheme, day):
    """Minutes of basic ("basic") or special ("special") training the rule in force on `day` asks (6 h of
    basic training since 2018-06-01, 12 h before)."""
    scheme = {"basic": Scheme.BASIC_TRAINING, "special": Scheme.SPECIAL_TRAINING}.get(scheme, scheme)
    return _required_minutes(rulebook(day), scheme, day)


@dataclasses.dataclass
class TrainingGaps:
    basic: bool  # basic training not complete
    special: list  # categories (of those asked) whose special training is not complete

    def __bool__(self):
        return self.basic or bool(self.special)


def training_gaps(volunteer, categories, today):
    """What training the volunteer still lacks on `today`: basic training, and the special training of each of
    `categories` (the categories the volunteer serves in: a cross-category volunteer's hours count only once
    that category's special training is on record, domain.md §3.2). Only training that counts is read."""
    rules = rulebook(today)
    basic, special = [], defaultdict(list)
    for kind, category, start, end, minutes in TrainingRecord.objects.counting().filter(
            volunteer=volunteer, kind__in=[TrainingRecord.Kind.BASIC, TrainingRecord.Kind.SPECIAL],
    ).values_list("kind", "category", "start_date", "end_date", "minutes"):
        (basic if kind == TrainingRecord.Kind.BASIC else special[category]).append((end or start, minutes))
    basic_day, _done, _required = _completion(basic, rules, Scheme.BASIC_TRAINING)
    missing = [category for category in categories
               if _completion(special.get(category, []), rules, Scheme.SPECIAL_TRAINING)[0] is None]
    return TrainingGaps(basic=basic_day is None, special=missing)
