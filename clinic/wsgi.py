import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

application = get_wsgi_application()
# Import every URLconf and view as the worker starts, not during its first request: that
# may be a health check, which must answer within 2 s even while the database hangs.
get_resolver().url_patterns  # noqa: B018
