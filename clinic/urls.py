from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from clinic import views
from clinic.sitemaps import sitemaps

handler400 = views.bad_request
handler403 = views.permission_denied
handler500 = views.server_error

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("admin/", admin.site.urls),
    path("", include("education.urls")),
    path("", include("intake.urls")),
    # Exercise pictures, videos and clinician photos that staff upload. Whitenoise serves
    # only files present at start-up, and a small clinic has a few dozen, so Django serves
    # them itself (with byte ranges, for video players) rather than needing a second web
    # server; uploads are limited to checked JPEG, PNG, WebP, MP4, WebM and WebVTT files,
    # and the CSP and nosniff headers apply to them too.
    re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", views.uploaded_file),
]
