from django.urls import path

from education import views

app_name = "education"

urlpatterns = [
    path("guides/", views.guide_list, name="guide_list"),
    path("guides/<slug:slug>/", views.guide_detail, name="guide_detail"),
    path("exercises/<slug:slug>/", views.exercise_detail, name="exercise_detail"),
    path("protocols/<slug:slug>/", views.protocol_detail, name="protocol_detail"),
    path("protocols/<slug:slug>/print/", views.protocol_print, name="protocol_print"),
]
