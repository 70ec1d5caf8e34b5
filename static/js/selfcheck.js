// After a self-check step is sent, move focus to where the page changed (the
// new step's heading, or the list of problems), so keyboard and screen-reader
// users do not start again from the top. The page works the same without it.
const focusTarget = document.querySelector("[data-focus-on-load]");
if (focusTarget) {
  focusTarget.focus();
}
