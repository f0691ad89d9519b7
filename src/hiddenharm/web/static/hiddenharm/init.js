// GOV.UK Frontend's components, from the versioned URL the page gives (no inline script:
// the content security policy allows scripts from this site's files only).
const script = document.querySelector("script[data-govuk-frontend]");
if (script) {
  import(script.dataset.govukFrontend).then((govuk) => govuk.initAll());
}
