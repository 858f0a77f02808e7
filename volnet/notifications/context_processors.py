from functools import cache

from volnet.notifications.services import unread_count


def unread(request):
    """`unread_notifications` for the header: one COUNT on the person's unread index, and only on a page whose
    template asks for it (the template calls it; cached for the rest of the page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": cache(lambda: unread_count(user))}
