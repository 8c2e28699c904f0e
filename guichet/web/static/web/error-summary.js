// After a form comes back with mistakes, its error summary is first on the page: the focus
// goes there, so that keyboard and screen reader users start from the list of what to
// correct, each item a link to its field. Without JavaScript the summary is still first and
// the page's title starts with "Error:".
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
})();
