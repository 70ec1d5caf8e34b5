"""Drive the self-check through the real HTTP flow with Django's test client."""

from collections.abc import Mapping

SLUG = "runners-knee"

# A runner with no warning signs and no kneecap pattern: every question answered "no".
CALM = {
    "age": "16_to_54",
    "injury": "no",
    "where": "inner_outer",
    "worse_with": [],
    "builds": "no",
    "noises": "no",
    "pain": "3",
    "locking": "no",
    "giving_way": "never",
    "swelling": "no",
    "hot_red": "no",
    "calf": "no",
    "night_pain": "no",
    "weight_cancer": "no",
    "other_joints": "no",
    "nerves": "no",
    # Asked only after an injury: the answers that raise nothing.
    "out_of_place": "no",
    "lift_leg": "yes",
    "tendon_gap": "no",
    "foot_colour": "no",
    "walk_then": "yes",
    "walk_now": "yes",
    "fast_swelling": "no",
    "bone_tender": "no",
    "bend_90": "yes",
    # Asked only when the knee is hot, or the patient is under 16.
    "fever": "no",
    "limp_hip": "no",
}


def step_data(response, answers: Mapping[str, object], action: str = "next") -> dict:
    """The POST body a browser sends for the step on this page: what was already ticked
    on the page, and `answers` for the questions shown. The answers so far travel in
    the test client's cookie, as in a browser."""
    form = response.context["form"]
    data = {"action": action}
    for key in form.fields:
        if key in answers:
            data[key] = answers[key]
        elif form.initial.get(key):
            data[key] = form.initial[key]
    return data


def step_url(response) -> str:
    return f"/check/{response.context['spec'].slug}/{response.context['step']}/"


def answer_all(
    client, answers: Mapping[str, object], *, slug: str = SLUG, pages: list | None = None
):
    """Answer step after step until the result page; returns the final response.

    `answers` overrides CALM; `pages`, when given, collects every page seen.
    """
    merged = {**CALM, **answers}
    response = client.get(f"/check/{slug}/", follow=True)
    for _ in range(20):
        if pages is not None:
            pages.append(response)
        assert response.status_code == 200, response.content.decode()[:2000]
        if "result" in response.context:
            return response
        response = client.post(step_url(response), step_data(response, merged), follow=True)
    raise AssertionError("the self-check never reached a result")
