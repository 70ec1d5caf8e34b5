"""Admin for the consent texts patients agree to: edits of a signed version become a new
version (intake.consent), so the list reads as the texts' history."""

from typing import TYPE_CHECKING, TypedDict, cast
from urllib.parse import urlsplit

from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from intake.consent import save_consent_text
from intake.models import ConsentText

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _Signatures(TypedDict):
    signature_count: int


# A text as this admin's queryset gives it: with how many patients signed it.
type CountedText = WithAnnotations[ConsentText, _Signatures]


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    list_display = ("kind", "version", "title", "created_at", "created_by", "signed")
    list_filter = ("kind",)
    list_select_related = ("created_by",)
    fields = ("kind", "version", "title", "body", "signed_note", "created_by", "created_at")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(signature_count=Count("signatures"))

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> tuple:
        readonly = ("version", "signed_note", "created_by", "created_at")
        # A text stays the kind it was written as; a new kind is a new text.
        return readonly if obj is None else ("kind", *readonly)

    @admin.display(description="signed by", ordering="signature_count")
    def signed(self, text: CountedText) -> str:
        count = text.signature_count
        return f"{count} patient{'s' if count != 1 else ''}"

    @admin.display(description="what saving does")
    def signed_note(self, text: CountedText) -> str:
        if text.pk is None:
            return "Saving makes the next version of this kind; new patients read it."
        if text.signature_count:
            return (
                f"{self.signed(text)} agreed to version {text.version}, so it stays as they "
                "read it: saving a change makes a new version, which new patients read from "
                "then on."
            )
        return "Nobody has signed this version yet, so saving corrects it in place."

    def save_model(self, request: HttpRequest, obj: ConsentText, form, change: bool) -> None:
        edited_version = obj.version
        # The admin lets in only signed-in staff: never AnonymousUser here.
        save_consent_text(text=obj, edited_by=cast(User, request.user))
        if change and obj.version != edited_version:
            self.message_user(
                request,
                f"Version {edited_version} has been signed, so it is kept as it was; your "
                f"text was saved as version {obj.version}.",
                messages.INFO,
            )

    def response_change(self, request: HttpRequest, obj: ConsentText) -> HttpResponse:
        response = super().response_change(request, obj)
        if "_continue" in request.POST:
            # Django goes back to the URL it came from, which after a signed version was
            # edited is the old version's page; go on editing the new one instead.
            query = urlsplit(response["Location"]).query
            url = reverse("admin:intake_consenttext_change", args=[obj.pk])
            response["Location"] = f"{url}?{query}" if query else url
        return response

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Signatures point at these texts; the newest version is what patients read.
        return False
