// Follow-on questions ("Only if you said Yes to ...") are hidden until their answer is
// given, then shown in place, right under the question that asks for them. Without this
// script the page still works: the server asks the follow-ons that apply on a second page.
// The hidden "revealed" field tells the server the patient saw them here, so a blank one
// is an error to fix rather than a reason for a second page.
const form = document.querySelector("form.previsit-form");
if (form) {
  const followOns = Array.from(form.querySelectorAll("[data-show-if]"));
  const triggers = new Set(followOns.map((block) => block.dataset.showIf));
  const update = () => {
    for (const block of followOns) {
      const inputs = form.querySelectorAll(`input[name="${block.dataset.showIf}"]`);
      if (inputs.length === 0) continue; // decided by an answer we already know
      const wanted = block.dataset.showIfValues.split(" ");
      const shown = Array.from(inputs).some((input) => input.checked && wanted.includes(input.value));
      block.hidden = !shown;
    }
  };
  if (followOns.length) {
    const revealed = document.createElement("input");
    revealed.type = "hidden";
    revealed.name = "revealed";
    revealed.value = "1";
    form.append(revealed);
    form.addEventListener("change", (event) => {
      if (triggers.has(event.target.name)) update();
    });
    update();
  }
}
