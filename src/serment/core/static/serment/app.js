// Behaviour without inline scripts (the Content-Security-Policy forbids them).
// A <select data-autosubmit> submits its form when it changes (the language switcher).
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches && el.matches("select[data-autosubmit]") && el.form) {
    el.form.submit();
  }
});
