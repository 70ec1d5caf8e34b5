"""The patient self-check: a list, then one step per page, then the result.

Steps are answered by POST and the next page is rendered in the response
(no redirect), because a redirect could only carry the answers in the URL or
in server-side storage, and the answers must be in neither.
"""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from intake import selfcheck
from intake.forms.selfcheck import StepForm
from intake.models import OutcomeTally, Questionnaire, TriageOutcome
from intake.triage import QuestionnaireSpec, triage


@require_GET
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    questionnaires = Questionnaire.objects.published()
    return render(
        request, "intake/selfcheck/questionnaire_list.html", {"questionnaires": questionnaires}
    )


@require_GET
@never_cache
def start(request: HttpRequest, slug: str) -> HttpResponse:
    questionnaire, spec = _load(slug)
    return _step_page(request, spec, step=selfcheck.first_step(spec), answers={}, first=True)


@require_http_methods(["GET", "POST"])
@never_cache
def answer_step(request: HttpRequest, slug: str, step: int) -> HttpResponse:
    questionnaire, spec = _load(slug)
    if request.method == "GET":  # a step's address typed or bookmarked: no answers come with it
        return _refused(request, spec, "Steps must be answered in order, from the first one.")
    try:
        answers = selfcheck.read_token(spec, request.POST.get(selfcheck.FIELD_NAME, ""), step=step)
    except selfcheck.RefusedForm as refusal:
        return _refused(request, spec, str(refusal))
    form = StepForm(request.POST, questions=selfcheck.step_questions(spec, step, answers))
    if request.POST.get("action") == "back":
        answers = selfcheck.with_step_answers(spec, answers, step=step, new=form.answers_so_far())
        back_to = selfcheck.previous_step(spec, answers, before=step) or step
        return _step_page(request, spec, step=back_to, answers=answers)
    if not form.is_valid():
        return _step_page(request, spec, step=step, answers=answers, form=form)
    answers = selfcheck.with_step_answers(spec, answers, step=step, new=form.answers())
    following = selfcheck.next_step(spec, answers, after=step)
    result = triage(questions=spec.questions, rules=spec.rules, answers=answers)
    if following is None or result.outcome == TriageOutcome.EMERGENCY:
        return _result_page(request, questionnaire, spec, answers, result)
    return _step_page(request, spec, step=following, answers=answers)


def _load(slug: str) -> tuple[Questionnaire, QuestionnaireSpec]:
    questionnaire = get_object_or_404(Questionnaire.objects.published().with_content(), slug=slug)
    return questionnaire, selfcheck.load_spec(questionnaire)


def _refused(request: HttpRequest, spec: QuestionnaireSpec, reason: str) -> HttpResponse:
    context = {"spec": spec, "reason": reason}
    return render(request, "intake/selfcheck/refused.html", context, status=400)


def _step_page(request, spec, *, step, answers, form=None, first=False) -> HttpResponse:
    questions = selfcheck.step_questions(spec, step, answers)
    number, total = selfcheck.progress(spec, answers, step)
    context = {
        "spec": spec,
        "step": step,
        "step_number": number,
        "step_total": total,
        "step_title": selfcheck.step_title(spec, step),
        "form": form or StepForm(questions=questions, answers=answers),
        "token": selfcheck.issue_token(spec, step=step, answers=answers),
        "has_previous": selfcheck.previous_step(spec, answers, before=step) is not None,
        "first_visit": first,
    }
    return render(request, "intake/selfcheck/step_form.html", context)


def _result_page(request, questionnaire, spec, answers, result) -> HttpResponse:
    OutcomeTally.objects.bump(questionnaire=questionnaire, outcome=result.outcome)
    summary = selfcheck.answer_summary(spec, answers)
    token = selfcheck.dump_handoff(
        selfcheck.SelfCheckHandoff(
            questionnaire=spec.slug,
            outcome=result.outcome.value,
            rule=result.rule_name,
            answers=summary,
        )
    )
    context = {"spec": spec, "result": result, "summary": summary, "handoff_token": token}
    return render(request, "intake/selfcheck/result.html", context)


def with_selfcheck_handoff(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decode the self-check hand-off in the POST body once, for the view and its forms.

    Sets `request.selfcheck_handoff` (None when missing, altered or too old) and
    `request.selfcheck_token` (the token to carry on, or "" when it is not genuine).
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        token = request.POST.get(selfcheck.HANDOFF_FIELD_NAME, "")
        request.selfcheck_handoff = selfcheck.load_handoff(token)
        request.selfcheck_token = token if request.selfcheck_handoff else ""
        return view(request, *args, **kwargs)

    return wrapper
