// Suggests catalogue names while a software name is typed. Progressive enhancement only:
// without JavaScript the field stays a plain text field that the server resolves.
(function () {
  "use strict";
  document.querySelectorAll("input[data-autocomplete-software]").forEach(function (input) {
    var list = document.createElement("datalist");
    var timer = null;
    var last = "";
    list.id = input.id + "-suggestions";
    input.after(list);
    input.setAttribute("list", list.id);
    input.addEventListener("input", function () {
      var text = input.value.trim();
      if (text.length < 2 || text === last) {
        return;
      }
      last = text;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var url = input.dataset.autocompleteSoftware + "?page_size=10&q=" + encodeURIComponent(text);
        fetch(url, { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { items: [] }; })
          .then(function (data) {
            var options = data.items.map(function (item) {
              var option = document.createElement("option");
              option.value = item.name;
              return option;
            });
            list.replaceChildren.apply(list, options);
          })
          .catch(function () { /* suggestions are a convenience: stay silent */ });
      }, 200);
    });
  });
})();
