// After a step is sent (self-check, booking) or a form comes back with errors, move
// focus to where the page changed (the new step's heading, or the list of problems),
// so keyboard and screen-reader users do not start again from the top of the page.
// The page works the same without it.
const focusTarget = document.querySelector("[data-focus-on-load]");
if (focusTarget) {
  focusTarget.focus();
}
