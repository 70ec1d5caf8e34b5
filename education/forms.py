from django import forms
from django.core.files.uploadedfile import UploadedFile

from education.models import Exercise
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
