// Progressive enhancement only: every page works without script.
// After a refused form (errors or a conflict), move the focus to the message so that keyboard
// and screen-reader users hear it first instead of landing at the top of the page.
document.addEventListener("DOMContentLoaded", function () {
  var message = document.querySelector("#konflikt, #fehler");
  if (message) { message.focus(); }
});

// Suggestions as you type in the catalogue's search box: the native <datalist> is filled from
// GET /v1/suggest (OZG-Leistungen and solutions by name). Without script the box is a plain
// search field and the form works as before.
document.addEventListener("DOMContentLoaded", function () {
  var input = document.querySelector("input[data-suggest]");
  var list = document.getElementById("vorschlaege");
  if (!input || !list || !window.fetch) { return; }
  input.setAttribute("list", "vorschlaege");
  input.setAttribute("autocomplete", "off");
  var timer = null, pending = null, asked = "";

  function fill(body) {
    var seen = {};
    while (list.firstChild) { list.removeChild(list.firstChild); }
    [["ozgLeistungen", "OZG-Leistung"], ["solutions", "Lösung"]].forEach(function (group) {
      (body[group[0]] || []).forEach(function (entry) {
        if (seen[entry.label]) { return; }
        seen[entry.label] = true;
        var option = document.createElement("option");
        option.value = entry.label;  // set as text, never parsed as HTML
        option.label = group[1] + (entry.detail ? " · " + entry.detail : "");
        list.appendChild(option);
      });
    });
  }

  function ask() {
    var text = input.value.trim();
    if (text.length < 2 || text === asked) { return; }
    asked = text;
    if (pending && pending.abort) { pending.abort(); }
    pending = window.AbortController ? new AbortController() : null;
    fetch(input.getAttribute("data-suggest") + "?limit=5&q=" + encodeURIComponent(text),
          {headers: {"Accept": "application/json"}, signal: pending ? pending.signal : undefined})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { if (body && input.value.trim() === text) { fill(body); } })
      .catch(function () { /* offline or aborted: the plain search field still works */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });
});
