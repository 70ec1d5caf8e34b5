// The handout's Print button. It starts hidden, so without JavaScript nobody sees a button
// that does nothing; the page's own text still says how to print. The printed sheet hides
// it too (print rules in site.css hide every button).
for (const button of document.querySelectorAll("[data-print-button]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
