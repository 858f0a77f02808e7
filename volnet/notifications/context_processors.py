from volnet.notifications.services import unread_for


def unread(request):
    """`unread_notifications` for the header: one COUNT on the person's unread index, and only on a page whose
    template asks for it (the template calls it; kept on the request for the rest of it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: unread_for(request)}
