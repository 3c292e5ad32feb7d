// The demo SaaS frontend: what a customer's product does with IntegrationHub and Alloy's frontend SDK.
//   1. a tenant member signs in (the SaaS's identity provider; in Development the hub's POST /dev/jwt),
//   2. the page shows the tenant's provisioning state and the integrations it can install,
//   3. Install: the hub's browser helper (clients/browser, window.IntegrationHubBrowser) runs the flow: a modal token
//      from the hub (waiting while the tenant's Alloy user is still being created) -> Alloy.setToken ->
//      Alloy.install({integrationId, callback}) -> on the first callback {success: true} (it may come twice) one
//      refresh of the hub's installations -> the recorded installation,
//   4. the page shows the installations the refresh returned,
//   5. a test event, sent as the SaaS backend would (service key), goes through the hub to the tenant's Alloy workflows.
// The same code runs against Alloy in production: the SDK's hosts (app.runalloy.com, embedded.runalloy.com) are fixed.
(function () {
  "use strict";

  var $ = function (id) { return document.getElementById(id); };
  var session = { tenantId: null, jwt: null, generation: 0, cancel: new AbortController(), integrations: [], installations: [] };
  var sdk = window.Alloy && typeof window.Alloy.install === "function" ? window.Alloy : null;
  var helper = window.IntegrationHubBrowser && typeof window.IntegrationHubBrowser.connectIntegration === "function" ? window.IntegrationHubBrowser : null;

  if (sdk && helper) {
    $("sdk-version").textContent = "alloy-frontend " + (window.AlloyFrontend ? window.AlloyFrontend.version : "");
  } else {
    sdk = null;
    $("sdk-missing").hidden = false;
  }

  // ------------------------------------------------------------------ helpers

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") { node.textContent = attributes[name]; } else { node.setAttribute(name, attributes[name]); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(typeof child === "string" ? document.createTextNode(child) : child); } });
    return node;
  }

  function log(message, kind) {
    var now = new Date();
    var time = el("time", { datetime: now.toISOString(), text: now.toTimeString().slice(0, 8) });
    var text = el("span", kind ? { "class": kind } : {});
    text.textContent = message;
    $("activity").appendChild(el("li", {}, [time, text]));
  }

  function HubError(status, problem) {
    this.status = status;
    this.problem = problem || {};
    this.message = (problem && (problem.detail || problem.title)) || ("The hub answered " + status + ".");
  }

  // One call to the hub: JSON in and out, a problem answer thrown as a HubError.
  function call(path, method, body, extraHeaders) {
    var headers = { Accept: "application/json" };
    Object.keys(extraHeaders || {}).forEach(function (name) { headers[name] = extraHeaders[name]; });
    if (body !== undefined) { headers["Content-Type"] = "application/json"; }
    return fetch(path, { method: method || "GET", headers: headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store" })
      .then(function (response) {
        return response.text().then(function (text) {
          var json = text ? JSON.parse(text) : null;
          if (!response.ok) { throw new HubError(response.status, json); }
          return json;
        });
      });
  }

  // As the signed-in member (or anonymously, for /dev/jwt).
  function hub(path, method, body, anonymous) {
    return call(path, method, body, anonymous ? {} : { Authorization: "Bearer " + session.jwt });
  }

  function tenantPath(suffix) { return "/api/tenants/" + encodeURIComponent(session.tenantId) + (suffix || ""); }

  // What every call of the helper needs: the hub (this origin), the member's tenant and JWT, and the signal that
  // cancels the calls of a previous tenant once the member switched.
  function helperOptions(extra) {
    var jwt = session.jwt;
    return Object.assign({
      hubUrl: location.origin,
      tenantId: session.tenantId,
      getAccessToken: function () { return Promise.resolve(jwt); },
      signal: session.cancel.signal,
    }, extra);
  }

  // Results of a previous tenant's calls are dropped once the member switched tenants.
  function current(generation) { return generation === session.generation; }

  function fail(error) {
    if (error && error.name === "AbortError") { return; }
    log(error.message || String(error), "bad");
  }

  // ------------------------------------------------------------------ 1. sign in

  $("member-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var tenantId = $("tenant-id").value.trim();
    if (!tenantId) { return; }
    var generation = ++session.generation;
    session.cancel.abort();
    session.cancel = new AbortController();
    session.tenantId = tenantId;
    session.jwt = null;
    session.installations = [];
    $("integrations").textContent = "";
    $("installations-table").tBodies[0].textContent = "";
    ["tenant-card", "integrations-card", "installations-card", "events-card"].forEach(function (id) { $(id).hidden = true; });
    hub("/dev/jwt", "POST", { tenantId: tenantId }, true).then(function (issued) {
      if (!current(generation)) { return; }
      session.jwt = issued.token;
      $("member-status").textContent = "Signed in as dev-user@" + tenantId + " (JWT with tenant_id=" + tenantId + ").";
      log("Signed in as a member of " + tenantId + " (JWT from /dev/jwt).");
      loadTenant(generation);
    }).catch(fail);
  });

  // ------------------------------------------------------------------ 2. tenant

  var STATE_BADGES = { Provisioned: "badge-ok", Pending: "badge-warn", Provisioning: "badge-info", Failed: "badge-bad" };

  function loadTenant(generation) {
    $("tenant-card").hidden = false;
    return hub(tenantPath()).then(function (tenant) {
      if (!current(generation)) { return; }
      $("tenant-missing").hidden = true;
      $("tenant-facts").hidden = false;
      var alloy = tenant.alloy || {};
      $("tenant-name").textContent = tenant.name + " (" + tenant.tenantId + ")";
      var state = $("tenant-state");
      state.textContent = "";
      state.appendChild(el("span", { "class": "badge " + (STATE_BADGES[alloy.state] || ""), text: alloy.state || "No Alloy account" }));
      if (alloy.lastError) { state.appendChild(el("span", { "class": "muted small", text: " " + alloy.lastError })); }
      $("tenant-user").textContent = alloy.userId || "not yet";
      $("events-card").hidden = false;
      if (alloy.state === "Pending" || alloy.state === "Provisioning") {
        setTimeout(function () { if (current(generation)) { loadTenant(generation); } }, 1000);
        return;
      }

      if (alloy.state === "Provisioned") {
        loadIntegrations(generation);
        loadInstallations(generation);
      }
    }).catch(function (error) {
      if (!current(generation)) { return; }
      if (error.status === 404) {
        $("tenant-facts").hidden = true;
        var missing = $("tenant-missing");
        missing.textContent = "";
        missing.appendChild(document.createTextNode("Tenant " + session.tenantId + " has not signed up yet. The SaaS backend signs tenants up with its service key, e.g. "));
        missing.appendChild(el("code", { text: "curl -X POST " + location.origin + "/api/tenants -H 'X-Api-Key: dev-service-key' -H 'Content-Type: application/json' -d '{\"tenantId\":\"" + session.tenantId + "\",\"name\":\"" + session.tenantId + "\"}'" }));
        missing.appendChild(document.createTextNode(" — then press Reload."));
        missing.hidden = false;
        return;
      }

      fail(error);
    });
  }

  $("tenant-reload").addEventListener("click", function () { if (session.jwt) { loadTenant(session.generation); } });

  // ------------------------------------------------------------------ 3. integrations and install

  function installedIds() {
    var ids = {};
    session.installations.forEach(function (i) { if (!i.removedAt) { ids[i.integrationId] = true; } });
    return ids;
  }

  function loadIntegrations(generation) {
    if (!helper) { return Promise.resolve(); }
    return helper.listIntegrations(helperOptions()).then(function (items) {
      if (!current(generation)) { return; }
      session.integrations = items;
      renderIntegrations();
      $("integrations-card").hidden = false;
    }).catch(fail);
  }

  function renderIntegrations() {
    var container = $("integrations");
    var installed = installedIds();
    container.textContent = "";
    session.integrations.forEach(function (integration) {
      var key = integration.name.toLowerCase();
      var isInstalled = integration.installed || installed[integration.integrationId];
      var action;
      if (isInstalled) {
        action = el("span", { "class": "badge badge-ok", "data-testid": "installed-" + key, text: "Installed" });
      } else {
        action = el("button", { type: "button", "class": "btn btn-primary btn-sm", "data-testid": "install-" + key, text: "Install" });
        action.disabled = !sdk;
        action.addEventListener("click", function () { install(integration, action); });
      }

      container.appendChild(el("article", { "class": "integration", "data-integration": integration.integrationId }, [
        el("div", { "class": "integration-head" }, [
          el("div", { "class": "avatar", "data-name": key, "aria-hidden": "true", text: integration.name.charAt(0) }),
          el("h3", { "class": "small", text: integration.name }),
        ]),
        el("p", { text: integration.description || "" }),
        el("div", { "class": "integration-foot" }, [el("span", { "class": "muted small", text: (integration.credentials || []).join(", ") }), action]),
      ]));
    });
  }

  // The helper reports each step; the page logs it. "done" carries every installation the refresh returned.
  function logStatus(generation, integration) {
    return function (status) {
      if (!current(generation)) { return; }
      switch (status.state) {
        case "requesting-token":
          log("POST " + tenantPath("/alloy-token") + " (a fresh modal token for each opening)");
          break;
        case "provisioning-pending":
          log("The tenant's Alloy user is still being created; asking again in " + status.retryAfterSeconds + " s.");
          break;
        case "installing":
          log("Token issued for Alloy user " + status.userId + ", expires " + status.expiresAt + ".");
          log("Alloy.install({ integrationId: \"" + integration.integrationId + "\" }) for " + integration.name);
          break;
        case "refreshing":
          log("POST " + tenantPath("/installations/refresh"));
          break;
        case "done":
          log("The hub recorded " + status.installations.length + " installation" + (status.installations.length === 1 ? "" : "s") + " for " + session.tenantId + ".", "ok");
          showInstallations(status.installations);
          break;
      }
    };
  }

  function install(integration, button) {
    var generation = session.generation;
    var callbacks = 0;
    button.disabled = true;
    helper.connectIntegration(helperOptions({
      integrationId: integration.integrationId,
      alloy: sdk,
      onStatus: logStatus(generation, integration),
      // Every callback of the SDK, also the second {success: true} the helper ignores.
      onSdkCallback: function (result) {
        if (!current(generation)) { return; }
        log("callback(" + JSON.stringify(result) + ")", result && result.success ? "ok" : "bad");
        if (++callbacks > 1) { log("Alloy called back again; the installation was already refreshed."); }
      },
    })).catch(function (error) {
      if (!current(generation)) { return; }
      button.disabled = false;
      if (error.type === "modal-closed") {
        log("The modal closed without installing " + integration.name + ".");
        return;
      }

      fail(error);
    });
  }

  // ------------------------------------------------------------------ 4. installations

  function loadInstallations(generation) {
    return hub(tenantPath("/installations")).then(function (list) {
      if (current(generation)) { showInstallations(list.items); }
    }).catch(fail);
  }

  function showInstallations(items) {
    session.installations = items;
    var tbody = $("installations-table").tBodies[0];
    tbody.textContent = "";
    items.forEach(function (item) {
      var status = item.removedAt ? ["Removed", ""] : item.enabled ? ["Enabled", "badge-ok"] : ["Disabled", "badge-warn"];
      tbody.appendChild(el("tr", { "data-installation": item.installationId }, [
        el("td", { text: item.integrationName }),
        el("td", { "class": "mono", text: item.installationId }),
        el("td", {}, [el("span", { "class": "badge " + status[1], text: status[0] })]),
        el("td", { text: item.installedAt ? item.installedAt.replace("T", " ").replace(/\.\d+/, "").replace(/(Z|[+-]00:00)$/, " UTC") : "—" }),
      ]));
    });
    if (!items.length) {
      tbody.appendChild(el("tr", {}, [el("td", { colspan: "4", "class": "empty", "data-testid": "no-installations", text: "Nothing installed yet." })]));
    }

    $("installations-card").hidden = false;
    renderIntegrations();
  }

  // ------------------------------------------------------------------ the SDK's own API calls

  $("ask-alloy").addEventListener("click", function () {
    if (!sdk || !session.jwt) { return; }
    var generation = session.generation;
    helper.getModalToken(helperOptions({ onStatus: logStatus(generation, null) })).then(function (issued) {
      log("Token issued for Alloy user " + issued.userId + ", expires " + issued.expiresAt + ".");
      sdk.setToken(issued.token);
      log("Alloy.getIntegrations() (GET https://embedded.runalloy.com/2024-03/integrations, x-alloy-user-token)");
      return sdk.getIntegrations();
    }).then(function (response) {
      var names = (response.data || []).map(function (i) { return (i.app || i.primaryConnector) + (i.installed ? " (installed)" : ""); });
      log("Alloy says: " + names.join(", "), "ok");
    }).catch(fail);
  });
  // ------------------------------------------------------------------ a test event, as the SaaS backend sends it

  // The development service key: only the demo, in Development, sends from a browser what a backend sends.
  var DEV_SERVICE_KEY = "dev-service-key";

  function asService(path, method, body, extraHeaders) {
    var headers = { "X-Api-Key": DEV_SERVICE_KEY };
    Object.keys(extraHeaders || {}).forEach(function (name) { headers[name] = extraHeaders[name]; });
    return call(path, method, body, headers);
  }

  function setEventStatus(text, kind) {
    var status = $("event-status");
    status.textContent = text;
    status.className = "small " + (kind === "ok" ? "ok-text" : kind === "error" ? "error-text" : "muted");
  }

  // Polls the event until it is Delivered or Failed (it is Held while the tenant's Alloy user does not exist yet).
  function followEvent(generation, eventId, deadline) {
    return asService(tenantPath("/events/" + encodeURIComponent(eventId))).then(function (detail) {
      if (!current(generation)) { return null; }
      if (detail.status === "Delivered" || detail.status === "Failed" || Date.now() > deadline) { return detail; }
      setEventStatus("Event " + eventId + " is " + detail.status + (detail.status === "Held" ? " (waiting for the tenant's Alloy user)" : "") + "…");
      return new Promise(function (resolve) { setTimeout(resolve, 500); }).then(function () { return followEvent(generation, eventId, deadline); });
    });
  }

  // What the in-process Alloy sandbox received for this user (absent when the hub talks to a real Alloy).
  function sandboxReceived(userId) {
    return fetch("/sandbox/alloy/_sandbox/events?userId=" + encodeURIComponent(userId), { cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .catch(function () { return null; });
  }

  $("event-form").addEventListener("submit", function (event) {
    event.preventDefault();
    if (!session.jwt) { return; }
    var generation = session.generation;
    var name = $("event-name").value.trim();
    var data;
    try {
      data = JSON.parse($("event-data").value);
    } catch (e) {
      setEventStatus("data is not valid JSON: " + e.message, "error");
      return;
    }

    var key = "demo-" + Date.now() + "-" + Math.random().toString(36).slice(2, 10);
    log("POST " + tenantPath("/events") + " {event: " + name + "} (service key, Idempotency-Key " + key + ")");
    asService(tenantPath("/events"), "POST", { event: name, data: data }, { "Idempotency-Key": key }).then(function (accepted) {
      log("Accepted " + accepted.eventId + " (" + accepted.status + ").", "ok");
      setEventStatus("Event " + accepted.eventId + " accepted (" + accepted.status + ")…");
      return followEvent(generation, accepted.eventId, Date.now() + 30000);
    }).then(function (detail) {
      if (!detail || !current(generation)) { return null; }
      if (detail.status !== "Delivered") {
        setEventStatus("Event " + detail.eventId + " is " + detail.status + (detail.lastError ? ": " + detail.lastError : "") + ".", detail.status === "Failed" ? "error" : null);
        return null;
      }

      log("Delivered " + detail.eventId + " to Alloy user " + detail.userId + " (POST /run/event).", "ok");
      return sandboxReceived(detail.userId).then(function (received) {
        var seen = received ? received.data.filter(function (r) { return r.event === name; }).length : null;
        setEventStatus("Delivered to Alloy user " + detail.userId + "." +
          (seen === null ? "" : " The sandbox has received " + seen + " '" + name + "' event(s) for this user; its workflows with this trigger ran."), "ok");
      });
    }).catch(function (error) {
      var known = error.problem && error.problem.knownEvents;
      setEventStatus((error.message || String(error)) + (known ? " Known events: " + known.join(", ") + "." : ""), "error");
      fail(error);
    });
  });
})();
