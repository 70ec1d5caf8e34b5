"""The production WSGI application, routed through bench/urls.py.

The only difference from clinic/wsgi.py is the URLconf, so the bare view exists in
the benchmark and nowhere else; every other setting is production's.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

settings.ROOT_URLCONF = "bench.urls"
application = get_wsgi_application()
