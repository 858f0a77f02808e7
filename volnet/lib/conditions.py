"""A rule written once as a Django `Q`, answered for one object already in memory.

A model keeps a rule such as "counts toward hours" as a Q: querysets filter by it, and `holds(rule, obj)`
answers it for a loaded instance without a query, so a detail page and a total never disagree. Only plain
lookups are understood (exact, in, isnull, lt, lte, gt, gte) on the object's fields or those of an object
it points to (`unit__is_active`); anything else (expressions, reverse relations) raises ValueError, so a
rule that outgrows this fails in its tests instead of answering wrongly.
"""

import operator

from django.db.models import Manager, Q

_LOOKUPS = {
    "exact": operator.eq,
    "in": lambda value, choices: value in choices,
    "isnull": lambda value, expected: (value is None) == bool(expected),
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}


def holds(rule, obj):
    """Whether `obj` meets `rule` (a Q), as `Model.objects.filter(rule)` would find it."""
    if rule.connector == Q.XOR:
        raise ValueError("XOR conditions are not supported")
    answers = [_holds_child(child, obj) for child in rule.children]  # every part checked, none skipped
    result = all(answers) if rule.connector == Q.AND else any(answers)
    return not result if rule.negated else result


def _holds_child(child, obj):
    if isinstance(child, Q):
        return holds(child, obj)
    lookup, expected = child
    path = lookup.split("__")
    kind = path.pop() if len(path) > 1 and path[-1] in _LOOKUPS else "exact"
    if hasattr(expected, "resolve_expression"):
        raise ValueError(f"unsupported condition {lookup!r}")
    value = obj
    for name in path:
        if value is None:
            break
        if not hasattr(value, name):
            raise ValueError(f"unsupported condition {lookup!r}")
        value = getattr(value, name)
        if isinstance(value, Manager):
            raise ValueError(f"unsupported condition {lookup!r}: {name} is many objects")
    if value is None and kind not in ("exact", "isnull"):
        return False  # SQL: NULL compared with anything is not true
    return _LOOKUPS[kind](value, expected)
