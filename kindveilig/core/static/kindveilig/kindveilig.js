// Kindveilig front-end behaviour. Scripts live in files only: the Content-Security-Policy
// forbids inline scripts. htmx sends the CSRF token with every request it makes.
document.addEventListener("htmx:configRequest", function (event) {
  const token = document.querySelector("meta[name=csrf-token]");
  if (token) {
    event.detail.headers["X-CSRFToken"] = token.getAttribute("content");
  }
});
