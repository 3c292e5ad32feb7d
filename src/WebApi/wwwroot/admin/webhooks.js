// IntegrationHub admin console, Webhooks tab: the endpoints of the SaaS backend that receive the hub's webhooks
// (/api/admin/webhook-endpoints), their deliveries, replays and secret rotation. Uses the helpers admin.js shares.
// A signing secret is shown once, in a clearly marked box, and only held in that box: never in sessionStorage or
// localStorage, and cleared when the admin leaves the tab, signs out or closes the page.
(function () {
  "use strict";

  var admin = window.IntegrationHubAdmin;
  var api = admin.api, el = admin.el, cell = admin.cell, when = admin.when, badge = admin.badge, mono = admin.mono, toast = admin.toast;
  var $ = function (id) { return document.getElementById(id); };

  // The event types the hub sends (README, "Webhooks to your backend").
  var EVENT_TYPES = [
    ["tenant.provisioned", "the tenant's Alloy user exists"],
    ["tenant.provisioning_failed", "provisioning failed for good"],
    ["tenant.deprovisioned", "offboarding removed the Alloy user"],
    ["installation.created", "an installation appeared"],
    ["installation.updated", "an installation was enabled, disabled or renamed"],
    ["installation.removed", "an installation disappeared"],
    ["integration.error", "Alloy reported a workflow error"],
    ["event.failed", "reserved: a SaaS event not delivered to Alloy"],
  ];
  var DELIVERY_BADGES = { Delivered: "badge-ok", Pending: "badge-info", Failed: "badge-bad", Cancelled: "" };
  var current = null; // the endpoint whose deliveries are shown
  var watchTimer = null;

  // A problem's detail, plus the field messages of a validation problem.
  function problemText(error) {
    var fields = error && error.problem && error.problem.errors;
    var messages = [];
    if (fields) { Object.keys(fields).forEach(function (key) { messages = messages.concat(fields[key]); }); }
    return [error && error.message ? error.message : "Something went wrong."].concat(messages).join(" ");
  }

  function fail(error) {
    if (error && (error.status === 401 || error.status === 403)) { admin.handleFailure(error); return; }
    toast(problemText(error), true);
  }

  function endpointPath(id) { return "/api/admin/webhook-endpoints/" + encodeURIComponent(id); }

  // ------------------------------------------------------------------ the secret, shown once

  function showSecret(endpointId, secret, note) {
    $("webhook-secret-endpoint").textContent = endpointId;
    $("webhook-secret-value").value = secret;
    $("webhook-secret-note").textContent = note || "";
    $("webhook-secret").hidden = false;
    $("webhook-secret-value").focus();
    $("webhook-secret-value").select();
  }

  function clearSecret() {
    $("webhook-secret-value").value = "";
    $("webhook-secret-endpoint").textContent = "";
    $("webhook-secret-note").textContent = "";
    $("webhook-secret").hidden = true;
  }

  function copySecret() {
    var input = $("webhook-secret-value");
    var copied = navigator.clipboard && window.isSecureContext ? navigator.clipboard.writeText(input.value) : Promise.reject(new Error("no clipboard"));
    copied.then(function () { toast("Secret copied to the clipboard."); }, function () {
      input.focus();
      input.select();
      toast("Press Ctrl+C (⌘C) to copy the selected secret.");
    });
  }

  // ------------------------------------------------------------------ endpoints

  function eventTypes(types) {
    if (!types || !types.length) { return badge("every type", "badge-info"); }
    return el("span", { "class": "types" }, types.map(function (type) { return badge(type, ""); }));
  }

  function endpointStatus(endpoint) {
    var parts = [endpoint.enabled ? badge("Enabled", "badge-ok") : badge("Disabled", "badge-bad")];
    if (endpoint.disabledReason) { parts.push(el("div", { "class": "error-text small", text: endpoint.disabledReason })); }
    if (endpoint.failingSince) { parts.push(el("div", { "class": "small muted" }, ["Failing since ", when(endpoint.failingSince)])); }
    if (endpoint.previousSecretExpiresAt) { parts.push(el("div", { "class": "small muted" }, ["Old secret signs until ", when(endpoint.previousSecretExpiresAt)])); }
    return el("td", { "data-testid": "endpoint-status-" + endpoint.id }, parts);
  }

  function button(text, testId, className, onClick) {
    var node = el("button", { type: "button", "class": "btn btn-sm " + (className || ""), "data-testid": testId, text: text });
    node.addEventListener("click", function () { onClick(node); });
    return node;
  }

  function endpointRow(endpoint) {
    var actions = el("div", { "class": "row-actions" }, [
      button("Deliveries", "deliveries-" + endpoint.id, "", function () { showDeliveries(endpoint); }),
      button("Rotate secret", "rotate-" + endpoint.id, "", function (node) { rotate(endpoint, node); }),
      button(endpoint.enabled ? "Disable" : "Enable", "toggle-" + endpoint.id, "", function (node) { setEnabled(endpoint, !endpoint.enabled, node); }),
      button("Delete", "delete-" + endpoint.id, "btn-danger", function () { confirmDelete(endpoint); }),
    ]);
    return el("tr", { "data-endpoint": endpoint.id }, [
      cell(el("span", {}, [
        el("span", { "class": "mono", text: endpoint.url }), el("br"),
        el("span", { "class": "muted small", text: (endpoint.description ? endpoint.description + " · " : "") + endpoint.id }),
      ])),
      cell(eventTypes(endpoint.eventTypes)),
      endpointStatus(endpoint),
      cell(when(endpoint.createdAt)),
      cell(actions),
    ]);
  }

  function loadEndpoints() {
    var table = $("webhooks-table");
    table.setAttribute("aria-busy", "true");
    return api("/api/admin/webhook-endpoints").then(function (list) {
      var tbody = table.tBodies[0];
      tbody.textContent = "";
      list.items.forEach(function (endpoint) { tbody.appendChild(endpointRow(endpoint)); });
      if (!list.items.length) { admin.emptyRow(tbody, 5, "No webhook endpoints yet: create one to be told what happens."); }
      $("webhooks-summary").textContent = list.items.length + (list.items.length === 1 ? " endpoint" : " endpoints");
      if (current) {
        var shown = list.items.filter(function (endpoint) { return endpoint.id === current.id; })[0];
        if (shown) { current = shown; } else { hideDeliveries(); }
      }
    }).catch(fail).then(function () { table.removeAttribute("aria-busy"); });
  }

  function toggleCreate(open) {
    $("webhook-create").hidden = !open;
    $("webhook-new").setAttribute("aria-expanded", open ? "true" : "false");
    $("webhook-create-error").hidden = true;
    if (open) { $("webhook-url").focus(); } else { $("webhook-create").reset(); }
  }

  function create(event) {
    event.preventDefault();
    var form = $("webhook-create");
    var error = $("webhook-create-error");
    var types = Array.prototype.slice.call(form.querySelectorAll('input[name="eventTypes"]:checked')).map(function (box) { return box.value; });
    var description = $("webhook-description").value.trim();
    var submit = form.querySelector('button[type="submit"]');
    submit.disabled = true;
    clearSecret();
    api("/api/admin/webhook-endpoints", { method: "POST", body: { url: $("webhook-url").value.trim(), description: description || null, eventTypes: types } })
      .then(function (created) {
        toggleCreate(false);
        showSecret(created.id, created.secret, "Deliveries to " + created.url + " are signed with it.");
        toast("Endpoint " + created.id + " created.");
        return loadEndpoints();
      })
      .catch(function (failure) {
        if (failure && (failure.status === 401 || failure.status === 403)) { admin.handleFailure(failure); return; }
        error.textContent = problemText(failure);
        error.hidden = false;
      })
      .then(function () { submit.disabled = false; });
  }

  function rotate(endpoint, node) {
    node.disabled = true;
    clearSecret();
    api(endpointPath(endpoint.id) + "/rotate-secret", { method: "POST" }).then(function (rotated) {
      showSecret(rotated.id, rotated.secret, "The previous secret keeps signing too until " + rotated.previousSecretExpiresAt + ".");
      toast("Secret of " + rotated.id + " rotated.");
      return loadEndpoints();
    }).catch(fail).then(function () { node.disabled = false; });
  }

  function setEnabled(endpoint, enabled, node) {
    node.disabled = true;
    api(endpointPath(endpoint.id), { method: "PATCH", body: { enabled: enabled } }).then(function (changed) {
      toast(changed.id + (changed.enabled ? " enabled." : " disabled: its pending deliveries are cancelled."));
      return loadEndpoints().then(function () { if (current && current.id === changed.id) { deliveries.load(true); } });
    }).catch(function (error) { node.disabled = false; fail(error); });
  }

  function confirmDelete(endpoint) {
    var dialog = $("webhook-confirm");
    $("webhook-confirm-text").textContent = "Delete " + endpoint.id + " (" + endpoint.url + ") and every delivery recorded for it? This cannot be undone.";
    dialog.returnValue = "";
    dialog.onclose = function () {
      dialog.onclose = null;
      if (dialog.returnValue !== "delete") { return; }
      api(endpointPath(endpoint.id), { method: "DELETE" }).then(function () {
        toast("Endpoint " + endpoint.id + " deleted.");
        if (current && current.id === endpoint.id) { hideDeliveries(); }
        return loadEndpoints();
      }).catch(fail);
    };
    dialog.showModal();
  }

  // ------------------------------------------------------------------ deliveries

  function deliveryRow(delivery) {
    var replay = button("Replay", "replay-" + delivery.messageId, "", function (node) { replayMessage(delivery.messageId, node); });
    return el("tr", { "data-message": delivery.messageId, "data-status": delivery.status }, [
      cell(mono(delivery.messageId)),
      cell(delivery.type),
      el("td", { "data-testid": "delivery-status-" + delivery.messageId }, [badge(delivery.status, DELIVERY_BADGES[delivery.status])]),
      el("td", { "data-testid": "delivery-code-" + delivery.messageId, text: delivery.statusCode === null || delivery.statusCode === undefined ? "—" : String(delivery.statusCode) }),
      cell(delivery.durationMs === null || delivery.durationMs === undefined ? null : delivery.durationMs + " ms"),
      cell(when(delivery.attemptedAt || delivery.createdAt)),
      el("td", { "data-testid": "delivery-attempts-" + delivery.messageId, text: String(delivery.attempts) }),
      cell(delivery.lastError ? el("span", { "class": "error-text small", text: delivery.lastError }) : null),
      cell(replay),
    ]);
  }

  var deliveries = new admin.PagedList({ path: "", form: "delivery-filters", table: "deliveries-table", more: "deliveries-more", summary: "deliveries-summary", columns: 9, empty: "No deliveries match.", row: deliveryRow });

  function localInput(date) {
    var local = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
    return local.toISOString().slice(0, 19);
  }

  function showDeliveries(endpoint) {
    current = endpoint;
    deliveries.options.path = endpointPath(endpoint.id) + "/deliveries";
    $("deliveries-endpoint").textContent = endpoint.url + " (" + endpoint.id + ")";
    $("delivery-status").value = "";
    $("replay-since").value = localInput(new Date(endpoint.createdAt));
    $("webhook-deliveries").hidden = false;
    watchDeliveries(endpoint.id, Date.now() + 60000);
    $("webhook-deliveries").scrollIntoView({ block: "nearest" });
  }

  function hideDeliveries() {
    clearTimeout(watchTimer);
    current = null;
    $("webhook-deliveries").hidden = true;
    $("deliveries-table").tBodies[0].textContent = "";
    $("deliveries-summary").textContent = "";
  }

  // Reloads the first page while a delivery on it is still pending (for up to a minute), so results show up.
  function watchDeliveries(endpointId, deadline) {
    clearTimeout(watchTimer);
    return deliveries.load(true).then(function () {
      var pending = $("deliveries-table").querySelector('tr[data-status="Pending"]');
      if (pending && current && current.id === endpointId && !$("panel-webhooks").hidden && Date.now() < deadline) {
        watchTimer = setTimeout(function () { watchDeliveries(endpointId, deadline); }, 1000);
      }
    });
  }

  function replayMessage(messageId, node) {
    node.disabled = true;
    api("/api/admin/webhook-messages/" + encodeURIComponent(messageId) + "/replay", { method: "POST" }).then(function (result) {
      toast("Message " + messageId + " replayed to " + result.deliveries + (result.deliveries === 1 ? " endpoint." : " endpoints."));
      if (current) { watchDeliveries(current.id, Date.now() + 60000); }
    }).catch(function (error) { node.disabled = false; fail(error); });
  }

  function replaySince(event) {
    event.preventDefault();
    var value = $("replay-since").value;
    if (!current) { return; }
    if (!value || isNaN(new Date(value).getTime())) { toast("Choose the date and time to replay from.", true); return; }
    var since = new Date(value).toISOString();
    api(endpointPath(current.id) + "/replay" + admin.query({ since: since }), { method: "POST" }).then(function (result) {
      toast(result.deliveries + (result.deliveries === 1 ? " message" : " messages") + " since " + since + " replayed to " + current.id + ".");
      watchDeliveries(current.id, Date.now() + 60000);
    }).catch(fail);
  }

  // ------------------------------------------------------------------ wiring

  var types = $("webhook-types");
  EVENT_TYPES.forEach(function (type) {
    var id = "webhook-type-" + type[0].replace(/[^a-z]/g, "-");
    types.appendChild(el("label", { "for": id }, [
      el("input", { type: "checkbox", id: id, name: "eventTypes", value: type[0], "data-testid": "webhook-type-" + type[0] }),
      el("span", {}, [el("span", { "class": "mono", text: type[0] }), " ", el("span", { "class": "muted small", text: type[1] })]),
    ]));
  });

  $("webhook-new").addEventListener("click", function () { toggleCreate($("webhook-create").hidden); });
  $("webhook-create-cancel").addEventListener("click", function () { toggleCreate(false); });
  $("webhook-create").addEventListener("submit", create);
  $("webhook-create").addEventListener("input", function () { $("webhook-create-error").hidden = true; });
  $("webhook-reload").addEventListener("click", loadEndpoints);
  $("webhook-secret-copy").addEventListener("click", copySecret);
  $("webhook-secret-done").addEventListener("click", clearSecret);
  $("replay-since-form").addEventListener("submit", replaySince);
  window.addEventListener("pagehide", clearSecret);

  admin.addPage("webhooks", {
    load: loadEndpoints,
    leave: function () { clearSecret(); clearTimeout(watchTimer); },
    reset: function () { clearSecret(); toggleCreate(false); hideDeliveries(); $("webhooks-table").tBodies[0].textContent = ""; },
  });
})();
