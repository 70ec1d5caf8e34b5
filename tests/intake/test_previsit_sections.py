"""Each before-visit section is a page object that owns its form, its context and its save;
the view dispatches to it and never picks a section by comparing names."""

from pathlib import Path

import pytest
from django.template.loader import get_template

from intake import previsit as flow
from intake.models import PreVisitKind
from intake.previsit_sections import PAGES, page_for
from intake.views import previsit as views

pytestmark = pytest.mark.django_db


def test_the_view_never_compares_a_sections_name():
    source = Path(views.__file__).read_text()

    assert ".slug ==" not in source
    assert "slug in " not in source


@pytest.mark.parametrize("kind", list(PreVisitKind))
def test_every_section_of_each_form_has_its_page_and_template(kind):
    previsit = flow.PreVisit(kind=kind)

    for section in flow.sections_for(previsit):
        page = page_for(previsit, section.slug)
        assert page is PAGES[section]
        assert get_template(page.template)


def test_the_check_in_and_the_measures_are_different_pages_at_the_same_address():
    first = page_for(flow.PreVisit(kind=PreVisitKind.FIRST_VISIT), "measures")
    check_in = page_for(flow.PreVisit(kind=PreVisitKind.FOLLOW_UP), "measures")

    assert first.section.title == "How your problem affects you"
    assert check_in.section.title == "How are you doing?"
    assert page_for(flow.PreVisit(kind=PreVisitKind.FOLLOW_UP), "consent") is None
