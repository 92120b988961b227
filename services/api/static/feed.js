// Live feed: asks the server every few seconds for entries newer than the newest shown,
// rendered as HTML by the same template, and puts them on top. Pauses in hidden tabs.
(function () {
  "use strict";
  var feed = document.getElementById("feed");
  var status = document.getElementById("live-status");
  if (!feed || !window.fetch) { return; }
  var every = 3000, timer = null, failures = 0;

  function newest() {
    var first = feed.querySelector("article[data-classified]");
    var best = "";
    feed.querySelectorAll("article[data-classified]").forEach(function (a) {
      var t = a.getAttribute("data-classified");
      if (t > best) { best = t; }
    });
    return best || (first ? first.getAttribute("data-classified") : "");
  }

  function poll() {
    var params = new URLSearchParams(feed.getAttribute("data-query") || "");
    var since = newest();
    if (since) { params.set("since", since); }
    fetch(feed.getAttribute("data-poll") + "?" + params.toString(), {credentials: "same-origin"})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
      .then(function (html) {
        failures = 0;
        var box = document.createElement("div");
        box.innerHTML = html;
        var fresh = box.querySelectorAll("article");
        for (var i = fresh.length - 1; i >= 0; i--) {
          var old = document.getElementById(fresh[i].id);
          if (old) { old.remove(); }
          fresh[i].classList.add("new");
          feed.insertBefore(fresh[i], feed.firstChild);
        }
        if (fresh.length) {
          var empty = document.getElementById("empty");
          if (empty) { empty.remove(); }
          status.textContent = fresh.length + (fresh.length === 1 ? " new update" : " new updates") +
            " at " + new Date().toLocaleTimeString() + ".";
        }
      })
      .catch(function () {
        failures += 1;
        status.textContent = "Cannot reach frontwire; retrying.";
      })
      .then(schedule);
  }

  function schedule() {
    clearTimeout(timer);
    if (!document.hidden) { timer = setTimeout(poll, every * Math.min(1 + failures, 10)); }
  }

  document.addEventListener("visibilitychange", function () { if (!document.hidden) { poll(); } });
  schedule();
}());
