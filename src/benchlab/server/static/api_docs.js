// Starts Swagger UI on /docs (api_docs.py serves the bundle from the swagger-ui-py wheel);
// a file of its own so the page needs no inline script under the Content-Security-Policy.
const root = document.getElementById("swagger-ui");
window.ui = window.SwaggerUIBundle({
  url: root.dataset.spec,
  dom_id: "#swagger-ui",
  deepLinking: true,
});
