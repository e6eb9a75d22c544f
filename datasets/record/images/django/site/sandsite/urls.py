from django.contrib import admin
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home),
    path("items/<int:pk>/", views.item),
    path("api/items/", views.api_items),
    path("search/", views.search),
    path("admin/", admin.site.urls),
]
