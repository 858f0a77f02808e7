from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def card(request):
    return render(request, "honorcard/card.html")
