from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from education.history import categories_at
from education.models import Category, Exercise, Guide, GuideQuerySet
from education.pictures import check_picture
from education.videos import check_video, clean_captions

# What a video needs, with the message when it is missing.
VIDEO_NEEDS = {
    "video_poster": "Add a poster picture: the still patients see before the video plays.",
    "video_captions": "Add a captions file (.vtt), for patients who cannot hear the video.",
    "video_transcript": "Describe what the video shows, step by step, for patients who "
    "cannot watch it.",
}


class ExerciseForm(forms.ModelForm):
    """The admin's exercise form: a new picture must be a real, sensibly sized photo, and a
    video a real MP4 or WebM that comes with its poster, captions and a text description."""

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
            "video",
            "video_poster",
            "video_captions",
            "video_transcript",
        )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].help_text = (
            "Drafts are visible only to staff, at the same address the public will use. "
            "Publishing records you, today, as its clinical reviewer; patients see it at once."
        )
        self.fields["video"].help_text += f" Up to {settings.EXERCISE_VIDEO_MAX_MB} MB."
        self.fields["video"].widget.attrs["accept"] = "video/mp4,video/webm"
        self.fields["video_poster"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"
        self.fields["video_captions"].widget.attrs["accept"] = ".vtt,text/vtt"

    def clean_image(self):
        image = self.cleaned_data["image"]
        if isinstance(image, UploadedFile):  # not the file already stored
            check_picture(image)
        return image

    def clean_video(self):
        video = self.cleaned_data["video"]
        if isinstance(video, UploadedFile):
            check_video(video)
        return video

    def clean_video_poster(self):
        poster = self.cleaned_data["video_poster"]
        if isinstance(poster, UploadedFile):
            check_picture(poster)
        return poster

    def clean_video_captions(self):
        captions = self.cleaned_data["video_captions"]
        if isinstance(captions, UploadedFile):
            clean_captions(captions)
        return captions

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned_data = self.cleaned_data
        # A video that was refused still means staff want one: say what else it needs now.
        if cleaned_data.get("video") or "video" in self.errors:
            for name, message in VIDEO_NEEDS.items():
                if name not in self.errors and not cleaned_data.get(name):
                    self.add_error(name, forms.ValidationError(message, code="video_needs"))
        return cleaned_data


class GuideForm(forms.ModelForm):
    """The admin's guide form. Opened on a version from the guide's history, it offers that
    version's categories, so "Revert" brings them back with the rest."""

    class Meta:
        model = Guide
        fields = (
            "title",
            "slug",
            "status",
            "publish_at",
            "condition",
            "summary",
            "categories",
            "body",
            "signs_heading",
            "tips_intro",
            "protocol",
            "seo_title",
            "seo_description",
        )
        widgets = {"categories": forms.CheckboxSelectMultiple}

    def __init__(self, *args, instance: Guide | None = None, **kwargs) -> None:
        # simple-history opens a version as a copy of the guide that knows its record.
        version = getattr(instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)
        if version is not None and (categories := categories_at(version)) is not None:
            kwargs["initial"] = {"categories": categories, **(kwargs.get("initial") or {})}
        kwargs["instance"] = instance
        super().__init__(*args, **kwargs)


class GuideSearchForm(forms.Form):
    """The search box and category filter on /guides/ (a GET form: results have an address)."""

    # Feeds no model field: a search.
    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {}

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
