// The tip form's proof of work (ncb/services/tip_forms.py): only while the line is flooded
// does the server ask for it (data-work > 0). Find a stamp such that SHA-256(token ":" stamp)
// starts with that many zero bits, then send. Nothing about the sender is read or sent.
(function () {
  "use strict";
  var form = document.getElementById("tip-form");
  if (!form || !window.crypto || !window.crypto.subtle) { return; }
  var bits = parseInt(form.getAttribute("data-work") || "0", 10);
  if (!(bits > 0)) { return; }
  var encoder = new TextEncoder();

  function zeroBits(bytes) {
    var n = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { n += 8; continue; }
      var b = bytes[i];
      while ((b & 0x80) === 0) { n += 1; b <<= 1; }
      return n;
    }
    return n;
  }

  async function solve(token) {
    for (var i = 0; ; i++) {
      var digest = await crypto.subtle.digest("SHA-256", encoder.encode(token + ":" + i));
      if (zeroBits(new Uint8Array(digest)) >= bits) { return String(i); }
    }
  }

  var busy = false;
  form.addEventListener("submit", function (event) {
    var stamp = form.querySelector("input[name=stamp]");
    if (stamp.value) { return; }
    event.preventDefault();
    if (busy) { return; }
    busy = true;
    document.getElementById("tip-working").hidden = false;
    solve(form.querySelector("input[name=token]").value).then(function (found) {
      stamp.value = found;
      form.submit();
    });
  });
})();
