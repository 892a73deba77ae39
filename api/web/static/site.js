// Progressive enhancement only: every page works without script.
// After a refused form (errors or a conflict), move the focus to the message so that keyboard
// and screen-reader users hear it first instead of landing at the top of the page.
document.addEventListener("DOMContentLoaded", function () {
  var message = document.querySelector("#konflikt, #fehler");
  if (message) { message.focus(); }
});
