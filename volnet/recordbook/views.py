from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def query(request):
    return render(request, "recordbook/query.html")
