from django.http import Http404, JsonResponse
from django.shortcuts import render

from .models import Item


def home(request):
    return render(request, "home.html", {"count": Item.objects.count()})


def item(request, pk):
    try:
        it = Item.objects.get(pk=pk)
    except Item.DoesNotExist:
        raise Http404("no such item")
    return render(request, "item.html", {"item": it})


def api_items(request):
    items = list(Item.objects.order_by("id").values("id", "name", "price")[:20])
    return JsonResponse({"items": items})


def search(request):
    q = request.POST.get("q", "") if request.method == "POST" else request.GET.get("q", "")
    found = Item.objects.filter(name__contains=q)[:10] if q else []
    return render(request, "search.html", {"q": q, "found": found})
