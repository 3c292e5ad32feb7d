// IntegrationHub admin console: plain JavaScript over the hub's /api/admin endpoints.
// The admin credential lives in sessionStorage only (this tab, never the URL or localStorage) and is sent on every
// API call: an admin service key as X-Api-Key, an admin JWT as a bearer token. Signing out forgets it and ends the
// Hangfire dashboard session. Every value from the API is written with textContent, never as HTML.
(function () {
  "use strict";

  var STORAGE_KEY = "integrationhub.admin.credential";
  var JWT_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
  var $ = function (id) { return document.getElementById(id); };

  // ------------------------------------------------------------------ credential and API calls

  function credential() { return sessionStorage.getItem(STORAGE_KEY); }

  function authHeaders(value) {
    value = value || credential() || "";
    return JWT_PATTERN.test(value) ? { Authorization: "Bearer " + value } : { "X-Api-Key": value };
  }

  function ApiError(status, problem) {
    this.status = status;
    this.problem = problem || {};
    this.message = (problem && (problem.detail || problem.title)) || ("The hub answered " + status + ".");
  }

  function api(path, options) {
    options = options || {};
    var headers = Object.assign({ Accept: "application/json" }, authHeaders(options.credential), options.headers || {});
    var body;
    if (options.body !== undefined) { headers["Content-Type"] = "application/json"; body = JSON.stringify(options.body); }
    return fetch(path, { method: options.method || "GET", headers: headers, body: body, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (options.raw && response.ok) { return response; }
        var type = response.headers.get("Content-Type") || "";
        var body = type.indexOf("json") >= 0 && response.status !== 204 ? response.json() : Promise.resolve(null);
        return body.then(function (json) {
          if (!response.ok) { throw new ApiError(response.status, json); }
          return json;
        });
      });
  }

  function handleFailure(error) {
    if (error && (error.status === 401 || error.status === 403)) {
      signOut(error.status === 401 ? "The credential was refused: sign in again." : "This credential is not an admin credential.");
      return;
    }

    toast(error && error.message ? error.message : "Something went wrong.", true);
  }

  function query(params) {
    var parts = [];
    Object.keys(params).forEach(function (key) {
      var value = params[key];
      if (value !== undefined && value !== null && value !== "") { parts.push(encodeURIComponent(key) + "=" + encodeURIComponent(value)); }
    });
    return parts.length ? "?" + parts.join("&") : "";
  }

  // ------------------------------------------------------------------ small DOM helpers

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") { node.textContent = attributes[name]; } else { node.setAttribute(name, attributes[name]); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(typeof child === "string" ? document.createTextNode(child) : child); } });
    return node;
  }

  function cell(content, className) {
    var td = el("td", className ? { "class": className } : {});
    if (content instanceof Node) { td.appendChild(content); } else { td.textContent = content === null || content === undefined ? "—" : String(content); }
    return td;
  }

  function when(iso) {
    if (!iso) { return "—"; }
    var node = el("time", { datetime: iso, title: iso, text: iso.replace("T", " ").replace(/\.\d+/, "").replace(/(Z|[+-]00:00)$/, " UTC") });
    return node;
  }

  var STATE_BADGES = { Provisioned: "badge-ok", Pending: "badge-warn", Provisioning: "badge-info", Failed: "badge-bad" };
  function badge(text, className) { return el("span", { "class": "badge " + (className || ""), text: text }); }
  function stateBadge(state) { return badge(state || "No account", STATE_BADGES[state] || ""); }
  function mono(text) { return el("span", { "class": "mono", text: text || "—" }); }

  var toastTimer = null;
  function toast(message, isError) {
    var box = $("toast");
    box.textContent = message;
    box.style.background = isError ? "#7f1d1d" : "";
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { box.textContent = ""; }, 6000);
  }

  function emptyRow(tbody, columns, text) {
    tbody.appendChild(el("tr", {}, [el("td", { colspan: String(columns), "class": "empty", text: text })]));
  }

  // ------------------------------------------------------------------ paged lists

  // A cursor-paged list: "Apply" starts again from the first page, "Load more" follows nextCursor. A failure goes to
  // options.fail when given (a page that shows problems in place), else to the console's toast.
  function PagedList(options) {
    this.options = options;
    this.cursor = null;
    this.count = 0;
    var self = this;
    $(options.more).addEventListener("click", function () { self.load(false); });
    $(options.form).addEventListener("submit", function (event) { event.preventDefault(); self.load(true); });
  }

  PagedList.prototype.filters = function () {
    var values = {};
    new FormData($(this.options.form)).forEach(function (value, key) { values[key] = String(value).trim(); });
    return values;
  };

  PagedList.prototype.load = function (fresh) {
    var self = this;
    var tbody = $(self.options.table).tBodies[0];
    var params = Object.assign({}, self.filters());
    if (!fresh && self.cursor) { params.cursor = self.cursor; }
    $(self.options.table).setAttribute("aria-busy", "true");
    return api(self.options.path + query(params)).then(function (page) {
      if (fresh || !self.cursor) { tbody.textContent = ""; self.count = 0; }
      page.items.forEach(function (item) { tbody.appendChild(self.options.row(item)); });
      self.count += page.items.length;
      if (self.count === 0) { emptyRow(tbody, self.options.columns, self.options.empty); }
      self.cursor = page.nextCursor;
      $(self.options.more).hidden = !page.nextCursor;
      $(self.options.summary).textContent = self.count + (self.count === 1 ? " row" : " rows") + (page.nextCursor ? ", more available" : "");
    }).catch(function (error) { (self.options.fail || handleFailure)(error); }).then(function () { $(self.options.table).removeAttribute("aria-busy"); });
  };

  // ------------------------------------------------------------------ tenants

  function tenantRow(tenant) {
    var alloy = tenant.alloy || {};
    var actions = el("td", { "class": "actions" });
    if (alloy.state === "Failed") {
      var retry = el("button", { type: "button", "class": "btn btn-sm btn-danger", "data-testid": "retry-" + tenant.tenantId, text: "Retry" });
      retry.addEventListener("click", function () { retryTenant(tenant.tenantId, retry); });
      actions.appendChild(retry);
    }

    var row = el("tr", { "data-tenant": tenant.tenantId }, [
      cell(mono(tenant.tenantId)),
      cell(tenant.name),
      el("td", { "data-testid": "state-" + tenant.tenantId }, [stateBadge(alloy.state)]),
      cell(alloy.attempts),
      cell(mono(alloy.userId)),
      cell(alloy.lastError ? el("span", { "class": "error-text", text: alloy.lastError }) : "—"),
      cell(when(tenant.createdAt)),
      actions,
    ]);
    return row;
  }

  function retryTenant(tenantId, button) {
    button.disabled = true;
    api("/api/tenants/" + encodeURIComponent(tenantId) + "/provisioning/retry", { method: "POST" }).then(function () {
      toast("Provisioning retried for " + tenantId + ".");
      return watchTenant(tenantId, Date.now() + 60000);
    }).catch(function (error) { button.disabled = false; handleFailure(error); });
  }

  // Re-reads one tenant until provisioning settles (or a minute passes), updating its row in place.
  function watchTenant(tenantId, deadline) {
    return api("/api/tenants/" + encodeURIComponent(tenantId)).then(function (tenant) {
      var old = document.querySelector('#tenants-table tr[data-tenant="' + CSS.escape(tenantId) + '"]');
      if (old) { old.replaceWith(tenantRow(tenant)); }
      var state = tenant.alloy && tenant.alloy.state;
      if ((state === "Pending" || state === "Provisioning") && Date.now() < deadline) {
        return new Promise(function (resolve) { setTimeout(resolve, 1000); }).then(function () { return watchTenant(tenantId, deadline); });
      }

      if (state === "Provisioned") { toast(tenantId + " is provisioned."); }
      return tenant;
    });
  }

  // ------------------------------------------------------------------ installations

  function installationRow(item) {
    var history = el("button", { type: "button", "class": "btn btn-sm", "data-testid": "history-" + item.installationId, text: "History" });
    history.addEventListener("click", function () { showHistory(item); });
    var status = item.removedAt ? badge("Removed", "") : item.enabled ? badge("Enabled", "badge-ok") : badge("Disabled", "badge-warn");
    return el("tr", { "data-installation": item.installationId }, [
      cell(mono(item.tenantId)),
      cell(el("span", {}, [el("strong", { text: item.integrationName }), el("br"), el("span", { "class": "mono muted", text: item.integrationId })])),
      cell(mono(item.installationId)),
      cell(status),
      cell(when(item.installedAt)),
      cell(when(item.lastSyncedAt)),
      el("td", {}, [history]),
    ]);
  }

  function showHistory(item) {
    var dialog = $("history-dialog");
    var tbody = $("history-table").tBodies[0];
    tbody.textContent = "";
    $("history-subtitle").textContent = item.integrationName + " · " + item.tenantId + " · " + item.installationId;
    api("/api/admin/installations/" + encodeURIComponent(item.installationId) + "/history").then(function (history) {
      history.items.forEach(function (change) {
        tbody.appendChild(el("tr", {}, [cell(when(change.at)), cell(badge(change.change, change.change === "Removed" ? "badge-bad" : "badge-info")), cell(change.source)]));
      });
      if (!history.items.length) { emptyRow(tbody, 3, "No changes recorded."); }
      if (!dialog.open) { dialog.showModal(); }
    }).catch(handleFailure);
  }

  function exportCsv() {
    var filters = installations.filters();
    delete filters.limit;
    var button = $("installation-export");
    button.disabled = true;
    api("/api/admin/installations" + query(filters), { headers: { Accept: "text/csv" }, raw: true }).then(function (response) {
      return response.blob();
    }).then(function (blob) {
      var url = URL.createObjectURL(blob);
      var name = "installations-" + new Date().toISOString().slice(0, 10) + ".csv";
      var link = el("a", { href: url, download: name });
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
      toast("Exported " + name + ".");
    }).catch(handleFailure).then(function () { button.disabled = false; });
  }

  // ------------------------------------------------------------------ audit and errors

  function auditRow(entry) {
    return el("tr", {}, [
      cell(when(entry.at)),
      cell(badge(entry.action, "")),
      cell(mono(entry.tenantId)),
      cell(el("span", {}, [document.createTextNode(entry.actor + " "), el("span", { "class": "muted small", text: "(" + entry.actorKind + ")" })])),
      cell(entry.detail),
    ]);
  }

  function errorRow(error) {
    return el("tr", {}, [
      cell(when(error.receivedAt)),
      cell(error.tenantId ? mono(error.tenantId) : el("span", { "class": "muted", text: "no tenant" })),
      cell(mono(error.alloyUserId)),
      cell(mono(error.workflowId)),
      cell(error.blockName ? error.blockName + (error.blockType ? " (" + error.blockType + ")" : "") : "—"),
      cell(el("span", { "class": "error-text", text: error.errorMessage || "—" })),
    ]);
  }

  // ------------------------------------------------------------------ wiring

  var tenants = new PagedList({ path: "/api/admin/tenants", form: "tenant-filters", table: "tenants-table", more: "tenants-more", summary: "tenants-summary", columns: 8, empty: "No tenants match.", row: tenantRow });
  var installations = new PagedList({ path: "/api/admin/installations", form: "installation-filters", table: "installations-table", more: "installations-more", summary: "installations-summary", columns: 7, empty: "No installations match.", row: installationRow });
  var audit = new PagedList({ path: "/api/admin/audit", form: "audit-filters", table: "audit-table", more: "audit-more", summary: "audit-summary", columns: 5, empty: "No audit entries match.", row: auditRow });
  var errors = new PagedList({ path: "/api/admin/integration-errors", form: "error-filters", table: "errors-table", more: "errors-more", summary: "errors-summary", columns: 6, empty: "No integration errors.", row: errorRow });
  var lists = { tenants: tenants, installations: installations, audit: audit, errors: errors };
  var loaded = {};

  $("tenant-reload").addEventListener("click", function () { tenants.load(true); });
  $("installation-export").addEventListener("click", exportCsv);
  $("history-close").addEventListener("click", function () { $("history-dialog").close(); });

  var tabs = Array.prototype.slice.call(document.querySelectorAll('[role="tab"]'));
  function selectTab(tab, focus) {
    tabs.forEach(function (other) {
      var selected = other === tab;
      var page = lists[other.id.replace("tab-", "")];
      if (!selected && other.getAttribute("aria-selected") === "true" && page && page.leave) { page.leave(); }
      other.setAttribute("aria-selected", selected ? "true" : "false");
      other.tabIndex = selected ? 0 : -1;
      $(other.getAttribute("aria-controls")).hidden = !selected;
    });
    if (focus) { tab.focus(); }
    var name = tab.id.replace("tab-", "");
    if (!loaded[name]) { loaded[name] = true; lists[name].load(true); }
  }

  tabs.forEach(function (tab, index) {
    tab.addEventListener("click", function () { selectTab(tab, false); });
    tab.addEventListener("keydown", function (event) {
      var next = event.key === "ArrowRight" ? index + 1 : event.key === "ArrowLeft" ? index - 1 : null;
      if (next !== null) { event.preventDefault(); selectTab(tabs[(next + tabs.length) % tabs.length], true); }
    });
  });

  function describe(value) {
    if (!JWT_PATTERN.test(value)) { return "Signed in with an admin key"; }
    try {
      var payload = JSON.parse(atob(value.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
      return "Signed in as " + (payload.sub || "an admin");
    } catch (e) {
      return "Signed in with an admin token";
    }
  }

  function showConsole() {
    $("sign-in").hidden = true;
    $("console").hidden = false;
    $("session-bar").hidden = false;
    $("signed-in-as").textContent = describe(credential());
    loaded = {};
    selectTab($("tab-tenants"), false);
    // The dashboard cannot send headers: trade the credential for its short-lived HttpOnly cookie.
    api("/admin/session", { method: "POST" }).then(function () { $("jobs-link").hidden = false; }).catch(function () { $("jobs-link").hidden = true; });
  }

  function signOut(message) {
    sessionStorage.removeItem(STORAGE_KEY);
    fetch("/admin/session", { method: "DELETE", credentials: "same-origin" }).catch(function () { return null; });
    $("console").hidden = true;
    $("session-bar").hidden = true;
    $("jobs-link").hidden = true;
    $("sign-in").hidden = false;
    ["tenants-table", "installations-table", "audit-table", "errors-table"].forEach(function (id) { $(id).tBodies[0].textContent = ""; });
    Object.keys(lists).forEach(function (name) { if (lists[name].reset) { lists[name].reset(); } });
    var error = $("sign-in-error");
    error.textContent = message || "";
    error.hidden = !message;
    $("credential").value = "";
    $("credential").focus();
  }

  $("sign-in-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var value = $("credential").value.trim();
    var error = $("sign-in-error");
    if (!value) { error.textContent = "Paste an admin key or admin JWT."; error.hidden = false; return; }
    // Check the credential against an admin endpoint before keeping it.
    api("/api/admin/tenants?limit=1", { credential: value }).then(function () {
      sessionStorage.setItem(STORAGE_KEY, value);
      $("credential").value = "";
      error.hidden = true;
      showConsole();
    }).catch(function (failure) {
      error.textContent = failure.status === 403 ? "That credential is valid but not an admin credential."
        : failure.status === 401 ? "That credential was refused." : failure.message;
      error.hidden = false;
    });
  });

  $("sign-out").addEventListener("click", function () { signOut(""); });

  // What the other pages of the console (webhooks.js, events.js) share. A page registered here is loaded when its tab is first
  // selected and told when its tab is left (leave) and on sign-out (reset).
  window.IntegrationHubAdmin = Object.freeze({
    api: api, handleFailure: handleFailure, query: query, el: el, cell: cell, when: when, badge: badge, mono: mono,
    toast: toast, emptyRow: emptyRow, PagedList: PagedList,
    addPage: function (name, page) { lists[name] = page; },
  });

  if (credential()) { showConsole(); } else { $("credential").focus(); }
})();
