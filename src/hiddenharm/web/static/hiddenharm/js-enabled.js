// Run at the start of <body>: GOV.UK Frontend's styles for pages with JavaScript.
document.body.className +=
  " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
