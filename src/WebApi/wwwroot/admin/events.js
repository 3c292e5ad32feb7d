// IntegrationHub admin console, Events tab: the SaaS application events the hub sends through to each tenant's Alloy
// workflows (/api/admin/events), one event's payload and attempts (/api/tenants/{tenantId}/events/{eventId}), and the
// replay of a Failed event. Uses the helpers admin.js shares. An event's data comes from the SaaS and is untrusted: it
// is pretty-printed into a <pre> with textContent, like every other value from the API.
(function () {
  "use strict";

  var admin = window.IntegrationHubAdmin;
  var api = admin.api, el = admin.el, cell = admin.cell, when = admin.when, badge = admin.badge, mono = admin.mono, toast = admin.toast;
  var $ = function (id) { return document.getElementById(id); };

  var STATUS_BADGES = { Held: "badge-warn", Pending: "badge-info", Delivered: "badge-ok", Failed: "badge-bad" };
  var OUTCOME_BADGES = { delivered: "badge-ok", retrying: "badge-warn", failed: "badge-bad", deferred: "badge-info" };
  var WATCH_MS = 60000;
  var current = null; // {tenantId, eventId} of the event whose detail is shown
  var watchTimer = null;

  // A problem's detail, plus the field messages of a validation problem.
  function problemText(error) {
    var fields = error && error.problem && error.problem.errors;
    var messages = [];
    if (fields) { Object.keys(fields).forEach(function (key) { messages = messages.concat(fields[key]); }); }
    return [error && error.message ? error.message : "Something went wrong."].concat(messages).join(" ");
  }

  function isAuthFailure(error) { return error && (error.status === 401 || error.status === 403); }

  function eventPath(tenantId, eventId) {
    return "/api/tenants/" + encodeURIComponent(tenantId) + "/events/" + encodeURIComponent(eventId);
  }

  function statusBadge(status) { return badge(status, STATUS_BADGES[status] || ""); }

  function button(text, testId, className, onClick) {
    var node = el("button", { type: "button", "class": "btn btn-sm " + (className || ""), "data-testid": testId, text: text });
    node.addEventListener("click", function (event) { event.stopPropagation(); onClick(node); });
    return node;
  }

  // ------------------------------------------------------------------ messages in the panel

  function showListError(error) {
    if (isAuthFailure(error)) { admin.handleFailure(error); return; }
    var box = $("events-error");
    box.textContent = problemText(error);
    box.hidden = false;
    $("events-table").tBodies[0].textContent = "";
    $("events-summary").textContent = "";
    $("events-more").hidden = true;
  }

  function hideListError() {
    $("events-error").hidden = true;
    $("events-error").textContent = "";
  }

  function showReplayResult(text, isError) {
    var box = $("event-replay-result");
    box.textContent = text;
    box.className = "alert " + (isError ? "alert-error" : "alert-info");
    box.hidden = false;
  }

  function hideReplayResult() {
    $("event-replay-result").hidden = true;
    $("event-replay-result").textContent = "";
  }

  // ------------------------------------------------------------------ the list

  // A time that may wrap between its date and its time of day (never inside either), so the row stays narrow.
  function shortWhen(iso) {
    var node = when(iso);
    if (!(node instanceof Node)) { return node; }
    var text = node.textContent;
    var space = text.indexOf(" ");
    if (space < 0) { return node; }
    node.textContent = "";
    node.appendChild(el("span", { text: text.slice(0, space) }));
    node.appendChild(document.createTextNode(" "));
    node.appendChild(el("span", { text: text.slice(space + 1) }));
    return node;
  }

  function nextStep(item) {
    if (item.deliveredAt) { return shortWhen(item.deliveredAt); }
    if (item.nextAttemptAt) { return el("span", {}, [el("span", { "class": "muted small", text: "next " }), shortWhen(item.nextAttemptAt)]); }
    return null;
  }

  function eventRow(item) {
    var open = el("button", { type: "button", "class": "link-button mono", "aria-controls": "event-detail", "data-testid": "event-open-" + item.eventId, text: item.eventId });
    open.addEventListener("click", function () { showDetail(item.tenantId, item.eventId); });
    // The Replay of a Failed event sits under its status, where the eye already is (and the row stays narrow).
    var status = el("td", { "class": "event-status" }, [el("span", { "data-testid": "event-status-" + item.eventId }, [statusBadge(item.status)])]);
    if (item.status === "Failed") {
      status.appendChild(button("Replay", "event-replay-" + item.eventId, "btn-danger", function (node) { confirmReplay(item, node); }));
    }

    var row = el("tr", { "data-event": item.eventId, "data-status": item.status, "class": "clickable" }, [
      cell(open),
      cell(mono(item.tenantId)),
      cell(mono(item.event)),
      status,
      el("td", { "data-testid": "event-attempts-" + item.eventId, text: String(item.attempts) }),
      cell(shortWhen(item.acceptedAt)),
      cell(nextStep(item)),
      cell(item.lastError ? el("span", { "class": "error-text small", text: item.lastError }) : null),
    ]);
    row.addEventListener("click", function (event) {
      if (event.target.closest("button, a")) { return; }
      showDetail(item.tenantId, item.eventId);
    });
    return row;
  }

  var list = new admin.PagedList({
    path: "/api/admin/events", form: "event-filters", table: "events-table", more: "events-more", summary: "events-summary",
    columns: 8, empty: "No events match.", row: eventRow, fail: showListError,
  });

  function loadList() {
    hideListError();
    return list.load(true);
  }

  // ------------------------------------------------------------------ one event

  function fact(term, value) {
    var dd = el("dd", {});
    if (value instanceof Node) { dd.appendChild(value); } else { dd.textContent = value === null || value === undefined || value === "" ? "—" : String(value); }
    return [el("dt", { text: term }), dd];
  }

  function renderDetail(detail) {
    $("event-detail-id").textContent = detail.eventId;
    var facts = $("event-facts");
    facts.textContent = "";
    var status = el("span", { "data-testid": "event-detail-status" }, [statusBadge(detail.status)]);
    [
      fact("Tenant", mono(detail.tenantId)),
      fact("Event", mono(detail.event)),
      fact("Status", status),
      fact("Attempts", detail.attempts),
      fact("Alloy user", detail.userId ? el("span", { "class": "mono", "data-testid": "event-detail-user", text: detail.userId })
        : el("span", { "class": "muted", "data-testid": "event-detail-user", text: "recorded on delivery" })),
      fact("Accepted", when(detail.acceptedAt)),
      fact("Delivered", detail.deliveredAt ? when(detail.deliveredAt) : null),
      fact("Next attempt", detail.nextAttemptAt ? when(detail.nextAttemptAt) : null),
      fact("Last error", detail.lastError ? el("span", { "class": "error-text", text: detail.lastError }) : null),
    ].forEach(function (pair) { facts.appendChild(pair[0]); facts.appendChild(pair[1]); });

    $("event-data").textContent = JSON.stringify(detail.data, null, 2);

    var tbody = $("event-attempts").tBodies[0];
    tbody.textContent = "";
    (detail.history || []).forEach(function (attempt, index) {
      tbody.appendChild(el("tr", { "data-outcome": attempt.outcome }, [
        cell(index + 1),
        cell(when(attempt.at)),
        cell(attempt.durationMs + " ms"),
        cell(badge(attempt.outcome, OUTCOME_BADGES[attempt.outcome])),
        cell(attempt.error ? el("span", { "class": "error-text small", text: attempt.error }) : null),
      ]));
    });
    if (!detail.history || !detail.history.length) { admin.emptyRow(tbody, 5, "No attempts yet."); }

    var replay = $("event-detail-replay");
    replay.hidden = detail.status !== "Failed";
    replay.disabled = false;
    replay.onclick = function () { confirmReplay(detail, replay); };
    $("event-detail").setAttribute("data-status", detail.status);
    $("event-detail").hidden = false;
  }

  function loadDetail() {
    var wanted = current;
    if (!wanted) { return Promise.resolve(null); }
    return api(eventPath(wanted.tenantId, wanted.eventId)).then(function (detail) {
      if (current !== wanted) { return null; } // another event was opened meanwhile
      renderDetail(detail);
      return detail;
    }).catch(function (error) {
      if (isAuthFailure(error)) { admin.handleFailure(error); return null; }
      toast(problemText(error), true);
      return null;
    });
  }

  function showDetail(tenantId, eventId) {
    current = { tenantId: tenantId, eventId: eventId };
    Array.prototype.forEach.call($("events-table").querySelectorAll("tr[data-event]"), function (row) {
      if (row.getAttribute("data-event") === eventId) { row.setAttribute("aria-current", "true"); } else { row.removeAttribute("aria-current"); }
    });
    return loadDetail().then(function (detail) {
      if (detail) { $("event-detail").scrollIntoView({ block: "nearest" }); }
    });
  }

  function hideDetail() {
    current = null;
    $("event-detail").hidden = true;
    $("event-detail").removeAttribute("data-status");
    $("event-detail-id").textContent = "";
    $("event-facts").textContent = "";
    $("event-data").textContent = "";
    $("event-attempts").tBodies[0].textContent = "";
    $("event-detail-replay").onclick = null;
    Array.prototype.forEach.call($("events-table").querySelectorAll("tr[aria-current]"), function (row) { row.removeAttribute("aria-current"); });
  }

  // ------------------------------------------------------------------ replay

  // Reloads the first page (and the open event) while an event on it is still Pending, for up to a minute, so that
  // a replay's outcome shows up.
  function watch(deadline) {
    clearTimeout(watchTimer);
    return Promise.all([loadList(), loadDetail()]).then(function (results) {
      var detail = results[1];
      var pending = $("events-table").querySelector('tr[data-status="Pending"]') || (detail && detail.status === "Pending");
      if (pending && !$("panel-events").hidden && Date.now() < deadline) {
        watchTimer = setTimeout(function () { watch(deadline); }, 1000);
      }
    });
  }

  function confirmReplay(item, node) {
    var dialog = $("event-confirm");
    $("event-confirm-text").textContent = "Send " + item.event + " (" + item.eventId + ") of tenant " + item.tenantId +
      " to its Alloy workflows again? Its attempts count from zero.";
    dialog.returnValue = "";
    dialog.onclose = function () {
      dialog.onclose = null;
      if (dialog.returnValue !== "replay") { return; }
      replay(item, node);
    };
    dialog.showModal();
  }

  function replay(item, node) {
    node.disabled = true;
    hideReplayResult();
    api("/api/admin/events/" + encodeURIComponent(item.eventId) + "/replay", { method: "POST" }).then(function (result) {
      showReplayResult("Event " + result.eventId + " replayed: it is " + result.status + ", attempts counted from " + result.attempts + ".", false);
      toast("Event " + result.eventId + " replayed.");
      return watch(Date.now() + WATCH_MS);
    }).catch(function (error) {
      node.disabled = false;
      if (isAuthFailure(error)) { admin.handleFailure(error); return null; }
      showReplayResult(problemText(error), true);
      return watch(Date.now() + WATCH_MS); // the list was stale: show the event as it is now
    });
  }

  // ------------------------------------------------------------------ wiring

  $("event-filters").addEventListener("submit", hideListError);
  $("event-reload").addEventListener("click", function () { watch(Date.now() + WATCH_MS); });
  $("event-detail-close").addEventListener("click", hideDetail);

  admin.addPage("events", {
    load: function () { return watch(Date.now() + WATCH_MS); },
    leave: function () { clearTimeout(watchTimer); },
    reset: function () {
      clearTimeout(watchTimer);
      hideDetail();
      hideListError();
      hideReplayResult();
      $("event-filters").reset();
      $("events-table").tBodies[0].textContent = "";
      $("events-summary").textContent = "";
      $("events-more").hidden = true;
      list.cursor = null;
      list.count = 0;
    },
  });
})();
