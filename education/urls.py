from django.urls import path

from education import views

app_name = "education"

urlpatterns = [
    path("guides/", views.guide_list, name="guide_list"),
]
