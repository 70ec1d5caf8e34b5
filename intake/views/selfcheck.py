"""The patient self-check: a list, then one step per page, then the result.

Every step is answered by POST and answered with a redirect to the next page
(post/redirect/get), so Back, Forward and Reload never ask to send a form
again. The answers so far travel between steps in one signed cookie in the
patient's browser (`intake.selfcheck.Progress`): never in a URL, the database
or the session. The cookie is HttpOnly, Secure, SameSite=Lax, scoped to this
questionnaire's path, expires within hours, and is cleared when the patient
starts over or sends the answers to the clinic.
"""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from intake import selfcheck
from intake.forms.selfcheck import StepForm
from intake.models import Questionnaire
from intake.triage import QuestionnaireSpec, triage

COOKIE_NAME = "selfcheck"
HANDOFF_COOKIE_NAME = "selfcheck_handoff"


@require_GET
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    questionnaires = Questionnaire.objects.published()
    return render(
        request, "intake/selfcheck/questionnaire_list.html", {"questionnaires": questionnaires}
    )


@require_GET
@never_cache
def start(request: HttpRequest, slug: str) -> HttpResponse:
    """Start (or start over): forget any earlier answers and open the first step."""
    questionnaire, spec = _load(slug)
    progress = selfcheck.fresh_progress(spec)
    response = redirect("intake:selfcheck_step", slug=slug, step=progress.reached)
    return _keep(response, spec, progress)


@require_http_methods(["GET", "POST"])
@never_cache
def answer_step(request: HttpRequest, slug: str, step: int) -> HttpResponse:
    questionnaire, spec = _load(slug)
    try:
        progress = _progress(request, spec)
    except selfcheck.RefusedForm as refusal:
        return _refused(request, spec, str(refusal))
    if not progress.may_open(spec, step):
        return _refused(request, spec, "Steps must be answered in order, from the first one.")
    if request.method == "GET":
        return _step_page(request, spec, step=step, answers=progress.answers)
    form = StepForm(request.POST, questions=selfcheck.step_questions(spec, step, progress.answers))
    if request.POST.get("action") == "back":
        return _go_back(spec, progress, step=step, new=form.answers_so_far())
    if not form.is_valid():
        return _step_page(request, spec, step=step, answers=progress.answers, form=form)
    return _answered(questionnaire, spec, progress, step=step, form=form)


@require_GET
@never_cache
def result(request: HttpRequest, slug: str) -> HttpResponse:
    questionnaire, spec = _load(slug)
    try:
        progress = _progress(request, spec)
    except selfcheck.RefusedForm as refusal:
        return _refused(request, spec, str(refusal))
    if not progress.finished:
        return _refused(request, spec, "Steps must be answered in order, from the first one.")
    return _result_page(request, spec, progress.answers)


def _answered(
    questionnaire: Questionnaire,
    spec: QuestionnaireSpec,
    progress: selfcheck.Progress,
    *,
    step: int,
    form: StepForm,
) -> HttpResponse:
    """On to the next step, or to the result once the answers are finished."""
    answered = selfcheck.answer_step(
        questionnaire=questionnaire,
        spec=spec,
        answers=progress.answers,
        step=step,
        new=form.answers(),
    )
    if answered.finished:
        response = redirect("intake:selfcheck_result", slug=questionnaire.slug)
    else:
        response = redirect("intake:selfcheck_step", slug=questionnaire.slug, step=answered.reached)
    return _keep(response, spec, answered)


def forget_answers(response: HttpResponse, slug: str) -> HttpResponse:
    """Clear a self-check's answers from the browser once they are sent."""
    response.delete_cookie(COOKIE_NAME, path=_cookie_path(slug), samesite="Lax")
    return response


def _load(slug: str) -> tuple[Questionnaire, QuestionnaireSpec]:
    questionnaire = get_object_or_404(Questionnaire.objects.published().with_content(), slug=slug)
    return questionnaire, selfcheck.load_spec(questionnaire)


def _cookie_path(slug: str) -> str:
    return reverse("intake:selfcheck_start", args=[slug])


def _progress(request: HttpRequest, spec: QuestionnaireSpec) -> selfcheck.Progress:
    """The answers so far; with no cookie, only the first step can be opened."""
    value = request.COOKIES.get(COOKIE_NAME)
    if value is None:
        return selfcheck.fresh_progress(spec)
    return selfcheck.load_progress(spec, value)


def _keep(
    response: HttpResponse, spec: QuestionnaireSpec, progress: selfcheck.Progress
) -> HttpResponse:
    response.set_cookie(
        COOKIE_NAME,
        selfcheck.dump_progress(spec, progress),
        max_age=selfcheck.MAX_AGE_SECONDS,
        path=_cookie_path(spec.slug),
        secure=True,
        httponly=True,
        samesite="Lax",
    )
    return response


def _go_back(spec, progress, *, step: int, new) -> HttpResponse:
    """The page's own Back button: keep what was ticked on this step, show the one before."""
    answers = selfcheck.with_step_answers(spec, progress.answers, step=step, new=new)
    back_to = selfcheck.previous_step(spec, answers, before=step) or step
    kept = selfcheck.Progress(answers=answers, reached=progress.reached, finished=progress.finished)
    return _keep(redirect("intake:selfcheck_step", slug=spec.slug, step=back_to), spec, kept)


def _refused(request: HttpRequest, spec: QuestionnaireSpec, reason: str) -> HttpResponse:
    context = {"spec": spec, "reason": reason}
    return render(request, "intake/selfcheck/refused.html", context, status=400)


def _step_page(request, spec, *, step, answers, form=None) -> HttpResponse:
    questions = selfcheck.step_questions(spec, step, answers)
    number, total = selfcheck.section_number(spec, step)
    context = {
        "spec": spec,
        "step": step,
        "step_number": number,
        "step_total": total,
        "step_title": selfcheck.step_title(spec, step),
        "form": form or StepForm(questions=questions, answers=answers),
        "has_previous": selfcheck.previous_step(spec, answers, before=step) is not None,
    }
    return render(request, "intake/selfcheck/step_form.html", context)


def _result_page(request, spec, answers) -> HttpResponse:
    result = triage(questions=spec.questions, rules=spec.rules, answers=answers)
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


class HandoffRequest(HttpRequest):
    """A request through `with_selfcheck_handoff`, for the type checker: it carries the
    decoded hand-off."""

    selfcheck_handoff: selfcheck.SelfCheckHandoff | None


def with_selfcheck_handoff(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decode the self-check hand-off cookie once, for the view and its forms.

    Sets `request.selfcheck_handoff` (None when missing, altered or too old).
    """

    @wraps(view)
    def wrapper(request: HandoffRequest, *args, **kwargs) -> HttpResponse:
        token = request.COOKIES.get(HANDOFF_COOKIE_NAME, "")
        request.selfcheck_handoff = selfcheck.load_handoff(token)
        return view(request, *args, **kwargs)

    return wrapper


def receive_handoff(request: HttpRequest, to: str) -> HttpResponse:
    """The result page's "Book a visit / Send my answers" POST: keep the signed hand-off
    in a cookie for that flow's pages only, then show its first page by GET, so every
    later page of the flow is an ordinary link that Back and Reload can fetch again."""
    response = redirect(to)
    token = request.POST.get(selfcheck.HANDOFF_FIELD_NAME, "")
    if selfcheck.load_handoff(token) is not None:
        response.set_cookie(
            HANDOFF_COOKIE_NAME,
            token,
            max_age=selfcheck.HANDOFF_MAX_AGE_SECONDS,
            path=to,
            secure=True,
            httponly=True,
            samesite="Lax",
        )
    return response


def forget_handoff(
    response: HttpResponse, handoff: selfcheck.SelfCheckHandoff | None, *, path: str
) -> HttpResponse:
    """Once a flow has sent what the patient chose, clear the hand-off and the answers."""
    response.delete_cookie(HANDOFF_COOKIE_NAME, path=path, samesite="Lax")
    if handoff is not None:
        forget_answers(response, handoff.questionnaire)
    return response
