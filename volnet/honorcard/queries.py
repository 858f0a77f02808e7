"""Read-side queries of honor cards: the volunteer's own list (榮譽紀錄), and the eligibility engine's
verdicts with the cards the volunteers already hold.

Which card is *current* is `HonorCard.objects.current_for` (models.py), the one definition every page uses.
The engine (eligibility, below this app) does not read cards itself: `evaluate_many` / `evaluate_volunteer`
here give it `card_facts`, so every verdict on an honor card counts only hours after the previous card's
window. Use these, not the engine's own, wherever an honor-card verdict is shown or acted on.
"""

from volnet.eligibility import engine
from volnet.honorcard.models import HonorCard


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
