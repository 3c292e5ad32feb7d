// @integrationhub/browser: connect an integration through IntegrationHub and Alloy's frontend SDK (alloy-frontend).
//
// The flow a SaaS frontend runs when a member clicks Install:
//   1. POST {hub}/api/tenants/{tenantId}/alloy-token with the member's JWT; while the tenant's Alloy user is still
//      being created the hub answers 503 provisioning-pending with Retry-After, and the helper waits and asks again;
//   2. alloy.setToken(token), then alloy.install({integrationId, callback}) opens Alloy's modal;
//   3. Alloy's callback carries only {success} and fires twice on success (workflowCreated, then closeModal): the first
//      answer decides, later ones are ignored;
//   4. POST {hub}/api/tenants/{tenantId}/installations/refresh once, and the installation recorded for the integration.
// No runtime dependency: fetch, AbortSignal and, unless an SDK instance is given, the peer dependency alloy-frontend.

/** The states `onStatus` reports, in the order they can occur. */
export const STATES = Object.freeze(["requesting-token", "provisioning-pending", "installing", "refreshing", "done"]);

/** Problem types the helper raises itself (the hub's own come from its problem+json answers). */
export const CLIENT_ERROR_TYPES = Object.freeze({
  modalClosed: "modal-closed",
  installationNotRecorded: "installation-not-recorded",
  networkError: "network-error",
  invalidResponse: "invalid-response",
  sdkError: "sdk-error",
});

const DEFAULT_MAX_PROVISIONING_WAIT_SECONDS = 60;
const DEFAULT_RETRY_AFTER_SECONDS = 2;
const MIN_RETRY_AFTER_SECONDS = 1;

/**
 * An error answered by the hub (its problem+json: `type`, `title`, `detail`, `Retry-After`) or raised by the helper
 * for a flow that did not complete (`modal-closed`, `installation-not-recorded`, `network-error`, ...).
 */
export class IntegrationHubError extends Error {
  constructor({ type, status = 0, title, detail = null, retryAfterSeconds = null, traceId = null, problem = null, cause } = {}) {
    super(detail || title || type, cause === undefined ? undefined : { cause });
    this.name = "IntegrationHubError";
    this.type = type;
    this.status = status;
    this.title = title || type;
    this.detail = detail;
    this.retryAfterSeconds = retryAfterSeconds;
    this.traceId = traceId;
    this.problem = problem;
  }
}

/**
 * Connects an integration for the signed-in member's tenant and resolves with the installation the hub recorded.
 * @param {import("./index.js").ConnectIntegrationOptions} options
 * @returns {Promise<import("./index.js").Installation>}
 */
export async function connectIntegration(options) {
  const {
    tenantId, getAccessToken, integrationId, onStatus, alloy, signal, installOptions, onSdkCallback,
    maxProvisioningWaitSeconds = DEFAULT_MAX_PROVISIONING_WAIT_SECONDS,
  } = options || {};
  requireString("tenantId", tenantId);
  requireString("integrationId", integrationId);
  requireFunction("getAccessToken", getAccessToken);
  requireWaitBound(maxProvisioningWaitSeconds);

  throwIfAborted(signal);
  const hub = hubClient(options);
  const report = (status) => { if (onStatus) { onStatus(status); } };

  const issued = await requestModalToken(hub, tenantId, maxProvisioningWaitSeconds, report, signal);
  const sdk = alloy || (await defaultAlloy());
  throwIfAborted(signal);

  sdk.setToken(issued.token);
  report({ state: "installing", integrationId, userId: issued.userId, expiresAt: issued.expiresAt });
  await openModal(sdk, integrationId, installOptions, onSdkCallback, signal);

  report({ state: "refreshing" });
  const refreshed = await hub.call("POST", tenantPath(tenantId, "/installations/refresh"), signal);
  const installations = itemsOf(refreshed);
  const installation = pickInstallation(installations, integrationId);
  if (!installation) {
    throw new IntegrationHubError({
      type: CLIENT_ERROR_TYPES.installationNotRecorded,
      title: "Installation not recorded",
      detail: `Alloy reported success, but the hub's refresh returned no installation of integration ${integrationId}. `
        + "Alloy may not list it yet: refresh the installations again in a moment.",
    });
  }

  report({ state: "done", installation, installations });
  return installation;
}

/**
 * A modal token for the member's tenant (`POST /api/tenants/{tenantId}/alloy-token`), waiting out
 * `provisioning-pending` like connectIntegration; for the SDK's other calls (getIntegrations, edit, authenticate).
 * @param {import("./index.js").GetModalTokenOptions} options
 * @returns {Promise<import("./index.js").ModalToken>}
 */
export async function getModalToken(options) {
  const { tenantId, getAccessToken, onStatus, signal, maxProvisioningWaitSeconds = DEFAULT_MAX_PROVISIONING_WAIT_SECONDS } = options || {};
  requireString("tenantId", tenantId);
  requireFunction("getAccessToken", getAccessToken);
  requireWaitBound(maxProvisioningWaitSeconds);
  throwIfAborted(signal);
  const report = (status) => { if (onStatus) { onStatus(status); } };
  return requestModalToken(hubClient(options), tenantId, maxProvisioningWaitSeconds, report, signal);
}

/**
 * The integrations the tenant may install (`GET /api/tenants/{tenantId}/integrations`), each with `installed`.
 * @param {import("./index.js").ListIntegrationsOptions} options
 * @returns {Promise<import("./index.js").Integration[]>}
 */
export async function listIntegrations(options) {
  const { tenantId, getAccessToken, signal } = options || {};
  requireString("tenantId", tenantId);
  requireFunction("getAccessToken", getAccessToken);
  throwIfAborted(signal);
  return itemsOf(await hubClient(options).call("GET", tenantPath(tenantId, "/integrations"), signal));
}

// ---------------------------------------------------------------------------------------------------- the token

async function requestModalToken(hub, tenantId, maxWaitSeconds, report, signal) {
  let waited = 0;
  for (;;) {
    report({ state: "requesting-token" });
    try {
      const issued = await hub.call("POST", tenantPath(tenantId, "/alloy-token"), signal);
      if (!issued || typeof issued.token !== "string") {
        throw new IntegrationHubError({ type: CLIENT_ERROR_TYPES.invalidResponse, status: 200, title: "Invalid response", detail: "The hub's token answer has no token." });
      }

      return issued;
    } catch (error) {
      if (!(error instanceof IntegrationHubError) || error.type !== "provisioning-pending" || waited >= maxWaitSeconds) {
        throw error;
      }

      // The hub's Retry-After (while an attempt is under way it can be the attempt's whole lease), within the budget.
      // At least MIN_RETRY_AFTER_SECONDS, so that an answer of "Retry-After: 0" cannot spin without spending the budget.
      const hubRetryAfter = Math.max(MIN_RETRY_AFTER_SECONDS, error.retryAfterSeconds == null ? DEFAULT_RETRY_AFTER_SECONDS : error.retryAfterSeconds);
      const wait = Math.min(hubRetryAfter, maxWaitSeconds - waited);
      report({ state: "provisioning-pending", retryAfterSeconds: wait });
      await delay(wait * 1000, signal);
      waited += wait;
    }
  }
}

// ---------------------------------------------------------------------------------------------------- the modal

function openModal(sdk, integrationId, installOptions, onSdkCallback, signal) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (action) => {
      if (settled) { return; }
      settled = true;
      if (signal) { signal.removeEventListener("abort", onAbort); }
      action();
    };
    const onAbort = () => settle(() => reject(abortReason(signal)));
    if (signal) { signal.addEventListener("abort", onAbort, { once: true }); }

    // Alloy calls back {success: true} on workflowCreated and again with the same value on closeModal; a close
    // without installing calls back {success: false} once. Only the first answer counts.
    const callback = (result) => {
      if (onSdkCallback) { onSdkCallback(result); }
      settle(() => {
        if (result && result.success === true) {
          resolve();
        } else {
          reject(new IntegrationHubError({
            type: CLIENT_ERROR_TYPES.modalClosed,
            title: "Modal closed",
            detail: "The modal was closed without installing the integration.",
          }));
        }
      });
    };

    try {
      sdk.install(Object.assign({}, installOptions, { integrationId, callback }));
    } catch (error) {
      settle(() => reject(new IntegrationHubError({
        type: CLIENT_ERROR_TYPES.sdkError,
        title: "Alloy SDK error",
        detail: `Alloy's SDK could not open the modal: ${error && error.message ? error.message : String(error)}`,
        cause: error,
      })));
    }
  });
}

let defaultInstance;

async function defaultAlloy() {
  if (!defaultInstance) {
    // alloy-frontend (CommonJS) exports a factory; one instance per page, like Alloy's script build (window.Alloy).
    const module = await import("alloy-frontend");
    const create = typeof module.default === "function" ? module.default : module;
    defaultInstance = create();
  }

  return defaultInstance;
}

// ---------------------------------------------------------------------------------------------------- the hub

function hubClient({ hubUrl, getAccessToken, fetch: fetchImpl }) {
  const base = hubUrl == null || hubUrl === "" ? "" : String(hubUrl).replace(/\/+$/, "");
  const doFetch = fetchImpl || globalThis.fetch;
  if (typeof doFetch !== "function") {
    throw new TypeError("No fetch: pass options.fetch or run where globalThis.fetch exists.");
  }

  return {
    async call(method, path, signal) {
      const accessToken = await getAccessToken();
      throwIfAborted(signal);
      if (typeof accessToken !== "string" || accessToken === "") {
        throw new TypeError("getAccessToken() must resolve to the member's access token (a non-empty string).");
      }

      let response;
      try {
        response = await doFetch(base + path, {
          method,
          headers: { Accept: "application/json", Authorization: `Bearer ${accessToken}` },
          cache: "no-store",
          signal,
        });
      } catch (error) {
        if (signal && signal.aborted) { throw abortReason(signal); }
        if (error && error.name === "AbortError") { throw error; }
        throw new IntegrationHubError({
          type: CLIENT_ERROR_TYPES.networkError,
          title: "Network error",
          detail: `${method} ${base + path} did not get an answer: ${error && error.message ? error.message : String(error)}`,
          cause: error,
        });
      }

      let text;
      try {
        text = await response.text();
      } catch (error) {
        if (signal && signal.aborted) { throw abortReason(signal); }
        throw error;
      }

      let body = null;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch (error) {
          body = null;
          if (response.ok) {
            throw new IntegrationHubError({ type: CLIENT_ERROR_TYPES.invalidResponse, status: response.status, title: "Invalid response", detail: `${method} ${path} answered something other than JSON.`, cause: error });
          }
        }
      }

      if (!response.ok) {
        throw problemError(response, body);
      }

      return body;
    },
  };
}

function problemError(response, body) {
  const problem = body && typeof body === "object" ? body : null;
  const type = problem && typeof problem.type === "string" && problem.type
    ? problem.type.replace(/\/+$/, "").split("/").pop()
    : `http-${response.status}`;
  return new IntegrationHubError({
    type,
    status: response.status,
    title: (problem && problem.title) || `The hub answered ${response.status}`,
    detail: (problem && problem.detail) || null,
    retryAfterSeconds: parseRetryAfter(response.headers.get("Retry-After")),
    traceId: (problem && problem.traceId) || null,
    problem,
  });
}

/** `Retry-After` as seconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value) {
  if (value == null || String(value).trim() === "") { return null; }
  const text = String(value).trim();
  if (/^\d+$/.test(text)) { return Number(text); }
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function pickInstallation(installations, integrationId) {
  const matching = installations.filter((i) => i && i.integrationId === integrationId);
  const active = matching.filter((i) => !i.removedAt);
  const candidates = active.length ? active : matching;
  const when = (i) => Date.parse(i.installedAt || i.firstSeenAt || "") || 0;
  return candidates.reduce((latest, i) => (!latest || when(i) >= when(latest) ? i : latest), null);
}

function itemsOf(body) {
  if (!body || !Array.isArray(body.items)) {
    throw new IntegrationHubError({ type: CLIENT_ERROR_TYPES.invalidResponse, status: 200, title: "Invalid response", detail: "The hub's answer has no items list." });
  }

  return body.items;
}

function tenantPath(tenantId, suffix) {
  return `/api/tenants/${encodeURIComponent(tenantId)}${suffix}`;
}

// ---------------------------------------------------------------------------------------------------- cancellation

function delay(milliseconds, signal) {
  return new Promise((resolve, reject) => {
    throwIfAborted(signal);
    const onAbort = () => { clearTimeout(timer); reject(abortReason(signal)); };
    const timer = setTimeout(() => {
      if (signal) { signal.removeEventListener("abort", onAbort); }
      resolve();
    }, milliseconds);
    if (signal) { signal.addEventListener("abort", onAbort, { once: true }); }
  });
}

function throwIfAborted(signal) {
  if (signal && signal.aborted) { throw abortReason(signal); }
}

function abortReason(signal) {
  const reason = signal.reason;
  if (reason instanceof Error && reason.name === "AbortError") { return reason; }
  return new DOMException("The operation was aborted.", "AbortError");
}

function requireString(name, value) {
  if (typeof value !== "string" || value.trim() === "") {
    throw new TypeError(`${name} must be a non-empty string.`);
  }
}

function requireWaitBound(seconds) {
  if (typeof seconds !== "number" || !(seconds >= 0) || seconds === Infinity) {
    throw new TypeError("maxProvisioningWaitSeconds must be a finite number of seconds, 0 or more.");
  }
}

function requireFunction(name, value) {
  if (typeof value !== "function") {
    throw new TypeError(`${name} must be a function.`);
  }
}
