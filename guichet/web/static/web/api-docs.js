/* Starts Swagger UI on the API documentation page (guichet/web/templates/ninja/swagger.html).
   Like django-ninja's own starter, without deep links: Swagger UI draws them as links nested
   in buttons, which keyboard and screen reader users cannot reach properly. */
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  config.dom_id = "#swagger-ui";
  config.deepLinking = false;
  config.presets = [SwaggerUIBundle.presets.apis];
  var csrfToken = root.dataset.csrfToken;
  if (csrfToken) {
    config.requestInterceptor = function (request) {
      request.headers["X-CSRFToken"] = csrfToken;
      return request;
    };
  }
  SwaggerUIBundle(config);
})();
