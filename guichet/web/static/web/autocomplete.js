// Suggests catalogue names while a software name is typed. Progressive enhancement only:
// without JavaScript the field stays a plain text field that the server resolves.
// With data-autocomplete-separator (","), the field holds several names: the last one typed
// is looked up, and each suggestion keeps the names before it.
(function () {
  "use strict";
  document.querySelectorAll("input[data-autocomplete-software]").forEach(function (input) {
    var list = document.createElement("datalist");
    var timer = null;
    var last = "";
    list.id = input.id + "-suggestions";
    input.after(list);
    input.setAttribute("list", list.id);
    var separator = input.dataset.autocompleteSeparator || "";
    input.addEventListener("input", function () {
      var before = "";
      var text = input.value.trim();
      if (separator && text.lastIndexOf(separator) >= 0) {
        before = text.slice(0, text.lastIndexOf(separator) + 1) + " ";
        text = text.slice(text.lastIndexOf(separator) + 1).trim();
      }
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
              option.value = before + item.name;
              return option;
            });
            list.replaceChildren.apply(list, options);
          })
          .catch(function () { /* suggestions are a convenience: stay silent */ });
      }, 200);
    });
  });
})();
