"""The second-factor steps after the password: type a code, or set up the app the first time."""

from typing import TypeIs
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticToken

from clinic.staff import second_factor as factor
from clinic.staff.forms import CodeForm, EnrolForm

SHOW_CODES_KEY = "staff_show_recovery_codes"


class SignedInRequest(HttpRequest):
    """A request from staff past the password step (for the type checker: a real user)."""

    user: User


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    if not _signed_in_staff(request):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not factor.has_authenticator(request.user):
        return redirect(with_next("admin:second_factor_enrol", request))
    form = CodeForm(request.POST or None, user=request.user)
    if form.is_valid():
        otp_login(request, form.device)
        return HttpResponseRedirect(next_url(request))
    context = {**_site_context(request, "Enter your code"), "form": form}
    return render(request, "admin/staff/second_factor.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    if not _signed_in_staff(request):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if factor.has_authenticator(request.user):
        return redirect(with_next("admin:second_factor", request))
    device = factor.pending_authenticator(user=request.user)
    form = EnrolForm(request.POST or None, device=device)
    if form.is_valid():
        otp_login(request, device)
        request.session[SHOW_CODES_KEY] = True
        return redirect(with_next("admin:recovery_codes", request))
    context = {
        **_site_context(request, "Set up your second sign-in step"),
        "form": form,
        "qr_code": mark_safe(factor.qr_code_svg(device.config_url)),  # our own SVG
        "secret": factor.secret_for_typing(device),
    }
    return render(request, "admin/staff/enrol.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def recovery_codes(request: SignedInRequest) -> HttpResponse:
    """Codes are shown once, right after they are made; a new set replaces the old one."""
    if request.method == "POST":
        factor.new_recovery_codes(user=request.user)
        request.session[SHOW_CODES_KEY] = True
        return redirect(with_next("admin:recovery_codes", request))
    codes = None
    if request.session.pop(SHOW_CODES_KEY, False):
        codes = list(
            StaticToken.objects.filter(device__user=request.user).values_list("token", flat=True)
        )
    context = {
        **_site_context(request, "Recovery codes"),
        "codes": codes,
        "codes_left": factor.recovery_codes_left(request.user),
        "next": next_url(request),
    }
    return render(request, "admin/staff/recovery_codes.html", context)


def next_url(request: HttpRequest) -> str:
    """Where the person was going before signing in, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def with_next(name: str, request: HttpRequest, target: str | None = None) -> str:
    return f"{reverse(name)}?{urlencode({'next': target or next_url(request)})}"


def _signed_in_staff(request: HttpRequest) -> TypeIs[SignedInRequest]:
    return request.user.is_authenticated and request.user.is_active and request.user.is_staff


def _site_context(request: HttpRequest, title: str) -> dict:
    return {**admin.site.each_context(request), "title": title, "next": next_url(request)}
