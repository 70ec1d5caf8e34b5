from django import forms
from django.core.files.uploadedfile import UploadedFile

from education.models import Category, Exercise, GuideQuerySet
from education.pictures import check_picture


class ExerciseForm(forms.ModelForm):
    """The admin's exercise form: a new picture must be a real, sensibly sized photo."""

    class Meta:
        model = Exercise
        fields = (
            "name",
            "slug",
            "status",
            "summary",
            "purpose",
            "equipment",
            "setup",
            "steps",
            "cues",
            "precautions",
            "image",
            "image_alt",
        )

    def clean_image(self):
        image = self.cleaned_data["image"]
        if isinstance(image, UploadedFile):  # not the file already stored
            check_picture(image)
        return image


class GuideSearchForm(forms.Form):
    """The search box and category filter on /guides/ (a GET form: results have an address)."""

    q = forms.CharField(
        label="Search the guides",
        required=False,
        max_length=100,
        help_text='For example "knee pain running" or "ankle sprain".',
    )
    category = forms.ModelChoiceField(
        queryset=Category.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="All topics",
        label="Topic",
    )

    def results(self, guides: GuideQuerySet) -> GuideQuerySet:
        """The guides to list: all of them until the visitor asks, never an error."""
        guides = guides.only("title", "slug", "summary").prefetch_related("categories")
        if not self.is_valid():  # an unknown topic or an overlong query: show everything
            return guides.order_by("title")
        if category := self.cleaned_data["category"]:
            guides = guides.filter(categories=category)
        if text := self.cleaned_data["q"]:
            return guides.search(text)
        return guides.order_by("title")
