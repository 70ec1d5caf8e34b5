"""The request an admin page receives, as the type checker should see it.

The admin site lets in only signed-in staff who passed the second factor
(`clinic.admin_site`), so there `request.user` is a real user, never AnonymousUser:
Django's HttpRequest cannot say so. Annotate an admin view or action with this; a
ModelAdmin method that overrides Django's keeps HttpRequest.
"""

from django.contrib.auth.models import User
from django.http import HttpRequest


class StaffRequest(HttpRequest):
    user: User
